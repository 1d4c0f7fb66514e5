//! Throughput and latency measurement of the embedded store.
//!
//! `cargo run --release -p unspun-store --example store_bench -- [articles] [dir]`
//!
//! Ingests synthetic articles (~2 KB of text each, ~330 index terms drawn
//! from a Zipf-like 50k-word vocabulary, 20 band keys) in batches of 1000,
//! then times `search_terms` with 30-term queries and `band_matches`.
//! `BANDS=n` sets the number of band keys per article (default 20).

use std::time::Instant;

use unspun_article::{Article, ArticleId};
use unspun_store::{EmbeddedStore, NewArticle, OnConflict, Store};

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    /// Zipf-ish word rank: squares a uniform number to favour small ranks.
    fn word(&mut self) -> u64 {
        let u = (self.next() % 1_000_000) as f64 / 1_000_000.0;
        (u * u * u * 50_000.0) as u64
    }
}

fn make(i: u64, rng: &mut Rng) -> NewArticle {
    let mut text = String::with_capacity(2200);
    let mut terms = Vec::with_capacity(340);
    while text.len() < 2000 {
        let w = format!("w{}", rng.word());
        text.push_str(&w);
        text.push(' ');
        terms.push(w);
    }
    let mut article = Article::new(ArticleId::new(format!("bench-{i:08}")).unwrap(), text);
    article.source = Some(format!("outlet{}", i % 37));
    NewArticle {
        article,
        index_terms: terms,
        band_keys: (0..std::env::var("BANDS").map_or(20, |s| s.parse().unwrap()))
            .map(|_| rng.next() % 5_000_000)
            .collect(),
        sentence_shapes: Vec::new(),
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let n: u64 = args.next().map_or(100_000, |s| s.parse().unwrap());
    let tmp = tempfile::tempdir().unwrap();
    let dir = args
        .next()
        .map_or_else(|| tmp.path().to_path_buf(), Into::into);
    let store = EmbeddedStore::open(&dir).unwrap();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);

    let mut put_time = 0.0;
    let mut i = 0;
    while i < n {
        let batch: Vec<_> = (i..(i + 1000).min(n)).map(|j| make(j, &mut rng)).collect();
        let t = Instant::now();
        store.put_batch(&batch, OnConflict::Reject).unwrap();
        put_time += t.elapsed().as_secs_f64();
        i += batch.len() as u64;
    }
    println!(
        "put_batch: {n} articles in {put_time:.2}s = {:.0} articles/s (batches of 1000, generation excluded)",
        n as f64 / put_time
    );

    // Re-put of the last batch: all unchanged.
    let batch: Vec<_> = (0..1000).map(|j| make(j, &mut Rng(j + 1))).collect();
    let t = Instant::now();
    store.put_batch(&batch, OnConflict::Replace).unwrap();
    println!(
        "put_batch of 1000 replaced: {:.1} ms",
        t.elapsed().as_secs_f64() * 1e3
    );

    // Queries: 30 terms of one stored article's text (a realistic
    // candidate-retrieval query), boosts varied.
    let keys = store.keys().unwrap();
    let mut lat = Vec::new();
    let mut lat_band = Vec::new();
    for q in 0..300u64 {
        let key = keys[(rng.next() % keys.len() as u64) as usize];
        let a = store.get(key).unwrap().unwrap();
        let words: Vec<&str> = a.article.text.split_whitespace().collect();
        let terms: Vec<(String, f32)> = (0..30)
            .map(|j| {
                (
                    words[(j * 7 + q as usize) % words.len()].to_string(),
                    1.0 + j as f32 / 10.0,
                )
            })
            .collect();
        let t = Instant::now();
        let hits = store.search_terms(&terms, 50, Some(key)).unwrap();
        lat.push(t.elapsed().as_secs_f64() * 1e3);
        assert!(!hits.is_empty());
        let bands: Vec<u64> = (0..20).map(|_| rng.next() % 5_000_000).collect();
        let t = Instant::now();
        store.band_matches(&bands, 50, Some(key)).unwrap();
        lat_band.push(t.elapsed().as_secs_f64() * 1e3);
    }
    for (name, mut l) in [
        ("search_terms(30 terms, limit 50)", lat),
        ("band_matches(20 keys)", lat_band),
    ] {
        l.sort_by(|a, b| a.partial_cmp(b).unwrap());
        println!(
            "{name}: median {:.2} ms, p90 {:.2} ms, max {:.2} ms over {} queries",
            l[l.len() / 2],
            l[l.len() * 9 / 10],
            l[l.len() - 1],
            l.len()
        );
    }
    let s = store.stats().unwrap();
    println!(
        "stats: {} articles, {} index docs, {:.1} MB on disk",
        s.articles,
        s.index_docs,
        s.disk_bytes as f64 / 1e6
    );
}
