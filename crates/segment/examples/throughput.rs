//! Rough throughput check for sentence splitting and tokenising (no criterion
//! dependency): `cargo run --release -p unspun-segment --example throughput`.
//!
//! The corpus is the test data repeated to about 20 MB; repetition flatters the
//! stem cache somewhat, as real news vocabulary repeats less.

use std::time::Instant;
use unspun_segment::{split_sentences, Analyzer};

fn main() {
    let docs = [
        include_str!("../tests/data/seed_000.txt"),
        include_str!("../tests/data/seed_003.txt"),
        include_str!("../tests/data/reuters_cocoa.txt"),
    ];
    let mut text = String::new();
    while text.len() < 20_000_000 {
        for d in docs {
            text.push_str(d);
            text.push_str("\n\n");
        }
    }
    let mb = text.len() as f64 / 1e6;

    let t = Instant::now();
    let sentences = split_sentences(&text);
    let split = t.elapsed().as_secs_f64();
    println!(
        "split:  {} sentences, {:.0} MB/s",
        sentences.len(),
        mb / split
    );

    let analyzer = Analyzer::new();
    let t = Instant::now();
    let tokens: usize = sentences
        .iter()
        .map(|s| analyzer.tokens(&text, s.span).len())
        .sum();
    let tok = t.elapsed().as_secs_f64();
    println!("tokens: {tokens} tokens, {:.0} MB/s", mb / tok);
}
