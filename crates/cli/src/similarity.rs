//! `unspun similarity`: sentence pairs from standard input scored one per
//! line.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, Result};

/// One line of `unspun similarity`'s input: its number, and the pair or why
/// it is not one.
pub(crate) type ParsedLine = (usize, std::result::Result<(String, String), String>);

pub(crate) fn similarity(model: &str, models: &std::path::Path) -> Result<ExitCode> {
    use std::io::BufRead;
    use unspun_align::PairClassifier;
    use unspun_embed::{cosine, Embedder, PairModel, StaticEmbedder};

    let static_dir = models.join("static");
    let load_static = || {
        StaticEmbedder::load(&static_dir)
            .with_context(|| format!("cannot load the static model from {}", static_dir.display()))
    };
    let (embedder, pair_model) = match model {
        "lexical" => (None, None),
        "static" => (Some(load_static()?), None),
        "minilm" => {
            let dir = models.join("minilm");
            let pair = PairModel::load(&dir).with_context(|| {
                format!("cannot load the MiniLM pair model from {}", dir.display())
            })?;
            (Some(load_static()?), Some(pair))
        }
        _ => match StaticEmbedder::load(&static_dir) {
            Ok(e) => (Some(e), None),
            Err(e) => {
                eprintln!(
                    "note: {e}; scoring lexically (run scripts/setup.sh for the static model)"
                );
                (None, None)
            }
        },
    };
    let name = match (&embedder, &pair_model) {
        (_, Some(_)) => "lexical+static+minilm-pair",
        (Some(_), None) => "lexical+static",
        (None, None) => "lexical",
    };
    let classifier = PairClassifier::new();
    let parse = |line: &str| -> std::result::Result<(String, String), String> {
        if line.trim_start().starts_with('{') {
            #[derive(serde::Deserialize)]
            struct Pair {
                a: String,
                b: String,
            }
            serde_json::from_str::<Pair>(line)
                .map(|p| (p.a, p.b))
                .map_err(|e| format!("malformed JSON: {e}"))
        } else {
            match line.split_once('\t') {
                Some((a, b)) => Ok((a.to_string(), b.to_string())),
                None => {
                    Err("expected two tab-separated texts or a JSON object {\"a\", \"b\"}".into())
                }
            }
        }
    };
    let mut out = std::io::stdout().lock();
    let mut failed = 0usize;
    // Lines are scored in batches (the pair model runs a batch in one pass)
    // and printed in input order.
    let mut batch: Vec<ParsedLine> = Vec::new();
    let mut flush = |batch: &mut Vec<ParsedLine>, out: &mut std::io::StdoutLock| -> Result<()> {
        let ok: Vec<(&str, &str)> = batch
            .iter()
            .filter_map(|(_, p)| p.as_ref().ok().map(|(a, b)| (a.as_str(), b.as_str())))
            .collect();
        let margins = match &pair_model {
            Some(m) => Some(m.margins(&ok)?),
            None => None,
        };
        let mut k = 0;
        for (n, pair) in batch.drain(..) {
            let value = match pair {
                Ok((a, b)) => {
                    let cos = match &embedder {
                        Some(e) => {
                            let v = e.embed(&[a.as_str(), b.as_str()])?;
                            Some(cosine(&v[0], &v[1]))
                        }
                        None => None,
                    };
                    let verdict = match (&margins, cos) {
                        (Some(m), Some(c)) => classifier.classify_with_pair_model(&a, &b, c, m[k]),
                        _ => classifier.classify(&a, &b, cos),
                    };
                    k += 1;
                    serde_json::json!({
                        "score": (f64::from(verdict.score) * 10000.0).round() / 10000.0,
                        "paraphrase": verdict.paraphrase,
                        "model": name,
                        "numbers_differ": verdict.numbers_differ,
                        "negation_differs": verdict.negation_differs,
                    })
                }
                Err(msg) => {
                    failed += 1;
                    eprintln!("error: stdin:{n}: {msg}");
                    serde_json::json!({ "line": n, "error": msg })
                }
            };
            serde_json::to_writer(&mut *out, &value)?;
            writeln!(out)?;
        }
        Ok(())
    };
    for (n, line) in std::io::stdin().lock().lines().enumerate() {
        let n = n + 1;
        let line = line.with_context(|| format!("stdin:{n}: cannot read"))?;
        batch.push((n, parse(&line)));
        if batch.len() == unspun_embed::minilm::BATCH_SIZE {
            flush(&mut batch, &mut out)?;
        }
    }
    flush(&mut batch, &mut out)?;
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
