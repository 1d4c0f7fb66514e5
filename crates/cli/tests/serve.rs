//! `unspun serve` as a user runs it: started on an ephemeral loopback port,
//! fed the seeds over HTTP, stopped with SIGTERM; its trace of the rewrite
//! must be what `unspun trace --json` prints for the same store.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use common::*;
use serde_json::{json, Value};
use unspun_article::read::{ReadEvent, ReadOptions, TextReader};
use unspun_article::Article;

fn seed(id: &str) -> Article {
    let path = repo().join("examples/seeds").join(format!("{id}.txt"));
    let mut found = None;
    TextReader.read_file_with_id(&path, id, &ReadOptions::default(), &mut |e| {
        if let ReadEvent::Article { article, .. } = e {
            found = Some(article);
        }
    });
    found.expect("the seed reads")
}

/// A running `unspun serve`, killed if a test fails before stopping it.
struct Server {
    child: Child,
    url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(env: &Env, token_file: &std::path::Path) -> Server {
    let mut child = env
        .cmd()
        .args(["serve", "--bind", "127.0.0.1:0", "--token-file"])
        .arg(token_file)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_string();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    Server { child, url }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

#[test]
fn serve_traces_the_seeds_as_the_command_line_does() {
    let env = Env::new();
    let token = env.write("token", b"a-long-random-token\n");
    let server = start(&env, &token);
    let http = agent();

    // The Reuters story, as JSON Lines, with the token from the file.
    let line = serde_json::to_string(&seed(REUTERS)).unwrap();
    let mut r = http
        .post(format!("{}/v1/articles", server.url))
        .header("Authorization", "Bearer a-long-random-token")
        .content_type("application/x-ndjson")
        .send(format!("{line}\n"))
        .unwrap();
    let body = r.body_mut().read_to_string().unwrap();
    assert_eq!(r.status(), 200, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["stored"], 1, "{v}");

    // Writes without the token are refused, as problem details. (Its own
    // client: the server answers before reading the body and then closes
    // the connection, which a pooled client would try to reuse.)
    let mut r = agent()
        .post(format!("{}/v1/articles", server.url))
        .content_type("application/json")
        .send(line.as_str())
        .unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    let _ = r.body_mut().read_to_string();

    // The rewrite, posted as text under its file name's id.
    let rewrite = seed(REWRITE);
    let mut r = http
        .post(format!("{}/v1/traces", server.url))
        .content_type("application/json")
        .send(
            json!({"id": REWRITE, "text": rewrite.text, "date": "2025-04-26"})
                .to_string()
                .as_str(),
        )
        .unwrap();
    let body = r.body_mut().read_to_string().unwrap();
    assert_eq!(r.status(), 200, "{body}");
    let via_api: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(via_api["sources"][0]["id"], REUTERS);
    let via_api_text = body;

    let mut r = http
        .get(format!(
            "{}/v1/articles/{REUTERS}/trace?format=html",
            server.url
        ))
        .call()
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r
        .body_mut()
        .read_to_string()
        .unwrap()
        .starts_with("<!DOCTYPE html>"));

    // SIGTERM: a graceful stop, exit status 0.
    let mut server = server;
    let status = Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = server.child.wait().unwrap();
    let mut stderr = String::new();
    std::io::Read::read_to_string(server.child.stderr.as_mut().unwrap(), &mut stderr).unwrap();
    assert!(exit.success(), "{exit}: {stderr}");
    assert!(stderr.contains("shut down"), "{stderr}");

    // The command line on the same store and file gives the same JSON, but
    // for where the traced text came from: a request body, a file.
    let file = repo().join(format!("examples/seeds/{REWRITE}.txt"));
    let cli = env.ok(&["trace", file.to_str().unwrap(), "--json"]);
    let mut cli: Value = serde_json::from_str(&cli).unwrap();
    let mut via_api: Value = serde_json::from_str(&via_api_text).unwrap();
    assert_eq!(
        via_api["article"]["provenance"]["extraction"],
        "posted to the API"
    );
    assert_eq!(cli["article"]["provenance"]["extraction"], "text file");
    for v in [&mut cli, &mut via_api] {
        v["article"]["provenance"]["extraction"] = Value::Null;
    }
    assert_eq!(via_api, cli, "the API and the CLI differ");
}

/// A watch made through the API sees an article another process stores
/// (`unspun ingest` beside the running server), and the watch, its match
/// and a verdict survive the server being killed with SIGKILL.
#[test]
fn a_watch_matches_what_unspun_ingest_stores_and_survives_kill_9() {
    let env = Env::new();
    let token = env.write("token", b"tok\n");
    let server = start(&env, &token);
    let http = agent();
    let mut r = http
        .post(format!("{}/v1/watches", server.url))
        .header("Authorization", "Bearer tok")
        .content_type("application/json")
        .send(r#"{"outlet": "Reuters", "name": "pickups"}"#)
        .unwrap();
    let body = r.body_mut().read_to_string().unwrap();
    assert_eq!(r.status(), 201, "{body}");
    let watch: Value = serde_json::from_str(&body).unwrap();
    let id = watch["watch"]["id"].as_u64().unwrap();
    assert!(watch["secret"].is_null(), "no webhook, no secret: {watch}");

    // The seeds, stored by the command line while the server runs.
    let out = env
        .cmd()
        .arg("ingest")
        .arg(repo().join("examples/seeds"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let matches = loop {
        let mut r = http
            .get(format!("{}/v1/watches/{id}/matches", server.url))
            .call()
            .unwrap();
        let v: Value = serde_json::from_str(&r.body_mut().read_to_string().unwrap()).unwrap();
        if !v["matches"].as_array().unwrap().is_empty() {
            break v;
        }
        assert!(std::time::Instant::now() < deadline, "no match: {v}");
        std::thread::sleep(std::time::Duration::from_millis(200));
    };
    assert_eq!(matches["matches"][0]["article"], REWRITE, "{matches}");
    // A reviewer's verdict on the pair, recorded just before the kill.
    let mut r = http
        .post(format!(
            "{}/v1/pairs/{REWRITE}/{REUTERS}/verdict",
            server.url
        ))
        .header("Authorization", "Bearer tok")
        .content_type("application/json")
        .send(r#"{"verdict": "confirmed", "reason": "an uncredited rewrite"}"#)
        .unwrap();
    let body = r.body_mut().read_to_string().unwrap();
    assert_eq!(r.status(), 201, "{body}");

    // SIGKILL: no shutdown runs.
    drop(server);
    let server = start(&env, &token);
    let mut r = http
        .get(format!("{}/v1/watches/{id}/matches", server.url))
        .call()
        .unwrap();
    let v: Value = serde_json::from_str(&r.body_mut().read_to_string().unwrap()).unwrap();
    assert_eq!(v["matches"], matches["matches"], "kept over a kill");
    let mut r = http
        .get(format!("{}/v1/watches", server.url))
        .call()
        .unwrap();
    let v: Value = serde_json::from_str(&r.body_mut().read_to_string().unwrap()).unwrap();
    assert_eq!(v["watches"][0]["rules"]["name"], "pickups");
    let mut r = http
        .get(format!(
            "{}/v1/pairs/{REWRITE}/{REUTERS}/verdicts",
            server.url
        ))
        .call()
        .unwrap();
    let v: Value = serde_json::from_str(&r.body_mut().read_to_string().unwrap()).unwrap();
    assert_eq!(
        v["current"]["verdict"], "confirmed",
        "the verdict is kept over a kill: {v}"
    );
}
