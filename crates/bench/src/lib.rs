//! Helpers shared by the benchmark binaries (`unspun-bench`, `change-suite`,
//! `similarity-eval`): what every recorded figure is stamped with.

/// Writes a generated report to `path`, keeping the hand-written sections of
/// the file already there: every `## ` section whose heading the generated
/// text does not have is appended after it, in its order. (The figures are
/// regenerated; what was learnt from reading the failures stays.)
pub fn write_report(path: &str, generated: &str) -> std::io::Result<()> {
    let old = std::fs::read_to_string(path).unwrap_or_default();
    let mut doc = generated.trim_end().to_string();
    for section in hand_sections(&old) {
        let heading = section.lines().next().unwrap_or_default();
        if !generated.lines().any(|l| l == heading) {
            doc.push_str("\n\n");
            doc.push_str(section.trim_end());
        }
    }
    doc.push('\n');
    std::fs::write(path, doc)
}

/// The `## ` sections of a Markdown text, each from its heading to the next.
fn hand_sections(text: &str) -> Vec<&str> {
    let starts: Vec<usize> = text
        .match_indices("\n## ")
        .map(|(i, _)| i + 1)
        .chain(text.starts_with("## ").then_some(0))
        .collect();
    let mut starts = starts;
    starts.sort_unstable();
    starts
        .iter()
        .enumerate()
        .map(|(k, &i)| &text[i..starts.get(k + 1).copied().unwrap_or(text.len())])
        .collect()
}

#[cfg(test)]
mod report_tests {
    #[test]
    fn hand_sections_survive_a_rewrite() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("R.md");
        let path = path.to_str().unwrap();
        std::fs::write(
            path,
            "# R\n\nold figures\n\n## Notes\n\nread by hand\n\n## Table\n\nold\n",
        )
        .unwrap();
        super::write_report(path, "# R\n\nnew figures\n\n## Table\n\nnew\n").unwrap();
        assert_eq!(
            std::fs::read_to_string(path).unwrap(),
            "# R\n\nnew figures\n\n## Table\n\nnew\n\n## Notes\n\nread by hand\n"
        );
    }
}

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

/// The trace semantics a `--model` flag names: `lexical`, `static` (the
/// distilled static embedder `scripts/setup.sh` installs, the default of
/// `unspun trace`) or `minilm` (static, MiniLM re-scoring borderline
/// pairs, as `unspun trace --model minilm`).
pub fn semantics(model: &str) -> anyhow::Result<unspun_engine::Semantics> {
    use anyhow::Context as _;
    let load_static = || -> anyhow::Result<std::sync::Arc<dyn unspun_embed::Embedder>> {
        Ok(std::sync::Arc::new(
            unspun_embed::StaticEmbedder::load(&unspun_embed::models_dir().join("static"))
                .context("the static model (run scripts/setup.sh)")?,
        ))
    };
    Ok(match model {
        "lexical" => unspun_engine::Semantics::Lexical,
        "static" => unspun_engine::Semantics::Static(load_static()?),
        "minilm" => unspun_engine::Semantics::MiniLm {
            fast: load_static()?,
            minilm: std::sync::Arc::new(
                unspun_embed::MiniLm::load(&unspun_embed::models_dir().join("minilm"))
                    .context("the MiniLM model (run scripts/setup.sh)")?,
            ),
        },
        other => anyhow::bail!("--model {other}: expected lexical, static or minilm"),
    })
}

pub mod l2r;
pub mod news_store;
pub mod rewrites;
pub mod siblings;
