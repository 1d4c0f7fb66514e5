//! Helpers for running the real `unspun` binary against a store in a temp dir.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Repository root (`crates/cli/../..`).
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The shared evaluation data beside the repository.
pub fn shared_data() -> PathBuf {
    let p = repo().join("../shared/data");
    assert!(
        p.is_dir(),
        "{} is missing: these tests need the shared evaluation data",
        p.display()
    );
    p
}

/// A temp dir holding a store, and a way to run `unspun` against it.
pub struct Env {
    pub dir: tempfile::TempDir,
}

impl Default for Env {
    fn default() -> Env {
        Env {
            dir: tempfile::tempdir().unwrap(),
        }
    }
}

impl Env {
    pub fn new() -> Env {
        Env::default()
    }

    pub fn store(&self) -> PathBuf {
        self.dir.path().join("store")
    }

    pub fn cmd(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_unspun"));
        c.env("UNSPUN_STORE", self.store());
        // The models scripts/setup.sh prepared (scripts/test.sh runs it), so
        // that `trace` runs in its default mode; tests of the lexical-only
        // fallback override this.
        c.env("UNSPUN_MODELS", models());
        c.env_remove("RUST_LOG");
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().unwrap()
    }

    /// Runs and asserts success, returning stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "unspun {args:?} failed ({}):\nstdout: {}\nstderr: {}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    pub fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.dir.path().join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&p, bytes).unwrap();
        p
    }

    pub fn stats(&self) -> serde_json::Value {
        serde_json::from_str(&self.ok(&["stats", "--json"])).unwrap()
    }
}

/// The embedding models: `$UNSPUN_MODELS`, else `<repo>/models`. Missing
/// models fail the test with a clear message rather than skipping it.
pub fn models() -> PathBuf {
    let dir = match std::env::var_os("UNSPUN_MODELS") {
        Some(d) if !d.is_empty() => PathBuf::from(d),
        _ => repo().join("models"),
    };
    assert!(
        dir.join("static").is_dir() && dir.join("minilm").is_dir(),
        "the embedding models are missing in {}: run scripts/setup.sh (scripts/test.sh does)",
        dir.display()
    );
    dir
}

pub fn seeds() -> String {
    repo().join("examples/seeds").display().to_string()
}

pub const REWRITE: &str = "000_8f16aa07f174a1e7";
pub const REUTERS: &str = "003_741671edce2820d1";

/// Reuters-21578 stories with a non-empty <BODY> (reuters21578/README.md
/// counts 19,043 with a BODY element).
pub const REUTERS_WITH_BODY: u64 = 19_043;
