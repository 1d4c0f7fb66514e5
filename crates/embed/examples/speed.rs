//! Sentences/s of each embedder at batch 1 and batch 32, on real news
//! sentences (the MRPC test set), printed as a Markdown table.
//!
//! `cargo run --release -p unspun-embed --example speed [-- --minilm-sentences N]`
//! Needs the models (`scripts/setup.sh`) and `../shared/data/mrpc`.

use std::path::PathBuf;
use std::time::Instant;

use unspun_embed::{models_dir, Embedder, MiniLm, StaticEmbedder};

/// The distinct sentences of MRPC test (TSV; split on TAB only, since the
/// sentences hold quotes that a CSV reader would misread).
fn mrpc_sentences() -> Vec<String> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/mrpc/msr_paraphrase_test.txt");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for line in text.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 5 {
            continue;
        }
        for s in [cols[3], cols[4]] {
            if seen.insert(s.to_string()) {
                out.push(s.to_string());
            }
        }
    }
    out
}

/// Sentences/s embedding `texts` in calls of `batch` texts: the best of 2
/// rounds, since the machine is shared and noisy.
fn rate(model: &dyn Embedder, texts: &[&str], batch: usize) -> f64 {
    (0..2)
        .map(|_| {
            let start = Instant::now();
            for chunk in texts.chunks(batch) {
                let v = model.embed(chunk).expect("embed");
                assert_eq!(v.len(), chunk.len());
            }
            texts.len() as f64 / start.elapsed().as_secs_f64()
        })
        .fold(0.0, f64::max)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n_minilm = args
        .iter()
        .position(|a| a == "--minilm-sentences")
        .and_then(|i| args.get(i + 1))
        .map_or(256, |v| v.parse().expect("a number"));

    let sentences = mrpc_sentences();
    let words: usize = sentences.iter().map(|s| s.split_whitespace().count()).sum();
    let texts: Vec<&str> = sentences.iter().map(String::as_str).collect();
    println!(
        "{} distinct MRPC test sentences, {:.1} words on average; {} rayon threads\n",
        texts.len(),
        words as f64 / texts.len() as f64,
        rayon::current_num_threads()
    );

    let mut minilm = MiniLm::load(&models_dir().join("minilm")).expect("MiniLM");
    let fast = StaticEmbedder::load(&models_dir().join("static")).expect("static model");

    println!("| embedder | calls of | sentences | sentences/s |");
    println!("| --- | --- | ---: | ---: |");
    let few = &texts[..n_minilm.min(texts.len())];
    minilm.embed(&few[..8]).expect("warm-up");
    let b1 = &few[..(few.len() / 4).max(1)];
    println!(
        "| minilm | 1 | {} | {:.1} |",
        b1.len(),
        rate(&minilm, b1, 1)
    );
    println!(
        "| minilm | 32 | {} | {:.1} |",
        few.len(),
        rate(&minilm, few, 32)
    );
    // All at once: batches of 32 inside, either in parallel on rayon or one
    // after the other with candle's own threads in the matrix products.
    minilm.set_parallel_batches(false);
    let seq = rate(&minilm, few, few.len());
    minilm.set_parallel_batches(true);
    let par = rate(&minilm, few, few.len());
    println!(
        "| minilm, batches of 32 in sequence (candle threads) | {} | {} | {seq:.1} |",
        few.len(),
        few.len()
    );
    println!(
        "| minilm, batches of 32 in parallel (rayon) | {} | {} | {par:.1} |",
        few.len(),
        few.len()
    );

    // The static model is fast enough to need many more texts for a stable figure.
    let many: Vec<&str> = texts.iter().cycle().take(200_000).copied().collect();
    fast.embed(&many[..1000]).expect("warm-up");
    println!(
        "| static | 1 | {} | {:.0} |",
        many.len(),
        rate(&fast, &many, 1)
    );
    println!(
        "| static | 32 | {} | {:.0} |",
        many.len(),
        rate(&fast, &many, 32)
    );
    println!(
        "| static | {} | {} | {:.0} |",
        many.len(),
        many.len(),
        rate(&fast, &many, many.len())
    );
}
