//! Reads the given files and directories and prints what was read, and how fast.
//!
//! `cargo run --release -p unspun-article --example read_stats -- [--format F] [--latin1] PATH...`

use std::path::PathBuf;
use std::time::Instant;

use unspun_article::read::{read_paths, Format, ReadEvent, ReadOptions};

fn main() {
    let mut opts = ReadOptions::default();
    let mut paths = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--format" => {
                let name = args.next().expect("--format needs a value");
                opts.format = name.parse::<Format>().unwrap_or_else(|e| panic!("{e}"));
            }
            "--latin1" => opts.latin1_fallback = true,
            _ => paths.push(PathBuf::from(arg)),
        }
    }
    let (mut articles, mut bytes, mut warnings, mut errors, mut skipped) =
        (0usize, 0usize, 0, 0, 0);
    let start = Instant::now();
    read_paths(&paths, &opts, &mut |event| match event {
        ReadEvent::Article { article, .. } => {
            articles += 1;
            bytes += article.text.len();
        }
        ReadEvent::Warning(_) => warnings += 1,
        ReadEvent::Error(e) => {
            errors += 1;
            eprintln!("error: {e}");
        }
        ReadEvent::SkippedFile { .. } => skipped += 1,
    });
    println!(
        "{articles} articles ({bytes} bytes of text), {warnings} warnings, {errors} errors, {skipped} skipped files in {:.3?}",
        start.elapsed()
    );
}
