//! `unspun similarity`: pairs in, one JSON verdict per line out, in order.

mod common;

use std::io::Write;
use std::process::Stdio;

use common::*;

fn run(
    env: &Env,
    args: &[&str],
    models: &std::path::Path,
    input: &str,
) -> (Option<i32>, String, String) {
    let mut child = env
        .cmd()
        .arg("similarity")
        .args(args)
        .env("UNSPUN_MODELS", models)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Err(e) = child.stdin.take().unwrap().write_all(input.as_bytes()) {
        // A command that fails at start-up (a missing model) may exit before
        // reading its input.
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

const INPUT: &str = "Kremlin aide Yuri Ushakov, who took part in Friday's meeting, described it as constructive and very useful.\tKremlin aide Yuri Ushakov, who participated in the meeting, characterized it as constructive and notably beneficial.\n\
{\"a\": \"The fire destroyed 12,000 acres of forest.\", \"b\": \"The fire destroyed 1,200 acres of forest.\"}\n\
not a pair\n\
{\"a\": \"Russia and Ukraine have not held direct talks.\", \"b\": \"Mr. Putin denies any intentions regarding NATO territory.\"}\n";

fn check(stdout: &str, model: &str) {
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4, "{stdout}");
    assert_eq!(lines[0]["paraphrase"], true);
    assert_eq!(lines[0]["model"], model);
    assert_eq!(lines[1]["numbers_differ"], true);
    assert_eq!(lines[2]["line"], 3);
    assert_eq!(lines[3]["paraphrase"], false);
    assert!(lines[0]["score"].as_f64().unwrap() > lines[3]["score"].as_f64().unwrap());
}

#[test]
fn lexical_without_models() {
    let env = Env::new();
    let empty = env.dir.path().join("no-models");
    let (code, stdout, stderr) = run(&env, &[], &empty, INPUT);
    assert_eq!(code, Some(1), "a malformed line makes the exit status 1");
    assert!(stderr.contains("scoring lexically"), "{stderr}");
    assert!(stderr.contains("stdin:3:"), "{stderr}");
    check(&stdout, "lexical");
}

#[test]
fn lexical_plus_static_with_models() {
    let env = Env::new();
    // Where scripts/setup.sh put them (the test command runs it first);
    // `models()` fails the test when either model is missing.
    let models = models();
    let (code, stdout, _) = run(&env, &["--model", "static"], &models, INPUT);
    assert_eq!(code, Some(1));
    check(&stdout, "lexical+static");
}

#[test]
fn the_minilm_pair_model_with_models() {
    let env = Env::new();
    // Where scripts/setup.sh put them (the test command runs it first);
    // `models()` fails the test when either model is missing.
    let models = models();
    // More lines than one batch of the pair model, so verdicts must come out
    // in input order across batches.
    let mut input = String::new();
    for _ in 0..9 {
        input.push_str(INPUT);
    }
    let (code, stdout, stderr) = run(&env, &["--model", "minilm"], &models, &input);
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(stderr.matches("error: stdin:").count(), 9, "{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 36);
    check(&lines[..4].join("\n"), "lexical+static+minilm-pair");
    for k in 0..9 {
        let v: Vec<serde_json::Value> = lines[4 * k..4 * k + 4]
            .iter()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(v[0]["paraphrase"], true, "{stdout}");
        assert_eq!(v[1]["numbers_differ"], true);
        assert_eq!(v[2]["line"], 4 * k + 3);
        assert_eq!(v[3]["paraphrase"], false);
        assert_eq!(
            v[0]["score"],
            lines_score(lines[0]),
            "same pair, same score"
        );
    }
}

#[test]
fn minilm_without_models_is_a_clear_error() {
    let env = Env::new();
    let empty = env.dir.path().join("no-models");
    let (code, _, stderr) = run(&env, &["--model", "minilm"], &empty, INPUT);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("MiniLM pair model"), "{stderr}");
}

fn lines_score(line: &str) -> serde_json::Value {
    let v: serde_json::Value = serde_json::from_str(line).unwrap();
    v["score"].clone()
}
