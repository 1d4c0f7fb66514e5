//! Helpers shared by the benchmark binaries (`unspun-bench`, `change-suite`,
//! `similarity-eval`): what every recorded figure is stamped with.

/// The machine a figure was measured on: CPU model and core count, read
/// from `/proc/cpuinfo` (Linux) and the scheduler.
pub fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    format!(
        "{} ({} cores)",
        cpu,
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(0)
    )
}

/// The short hash of the checked-out commit, or `unknown` outside git: what
/// a recorded figure names as the code it measured.
pub fn commit() -> String {
    std::process::Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|| "unknown".into())
}

/// The non-blank lines of a JSON Lines file, each with its 1-based line
/// number; a line that is not JSON is an error naming the file and line.
pub fn read_jsonl(path: &std::path::Path) -> anyhow::Result<Vec<(usize, serde_json::Value)>> {
    use anyhow::Context as _;
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, line)| {
            serde_json::from_str(line)
                .with_context(|| format!("{}:{}: not JSON", path.display(), n + 1))
                .map(|v| (n + 1, v))
        })
        .collect()
}

/// The trace semantics a `--model` flag names: `lexical`, or `static`
/// (the distilled static embedder `scripts/setup.sh` installs, the default
/// of `unspun trace`).
pub fn semantics(model: &str) -> anyhow::Result<unspun_engine::Semantics> {
    use anyhow::Context as _;
    Ok(match model {
        "lexical" => unspun_engine::Semantics::Lexical,
        "static" => unspun_engine::Semantics::Static(std::sync::Arc::new(
            unspun_embed::StaticEmbedder::load(&unspun_embed::models_dir().join("static"))
                .context("the static model (run scripts/setup.sh)")?,
        )),
        other => anyhow::bail!("--model {other}: expected lexical or static"),
    })
}

pub mod l2r;
pub mod news_store;
pub mod rewrites;
pub mod siblings;
