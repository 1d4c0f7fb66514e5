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

pub mod l2r;
pub mod news_store;
pub mod rewrites;
pub mod siblings;
