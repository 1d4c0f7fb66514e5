//! `--dump`: every MRPC pair's features as TSV, for prototyping scorers
//! outside Rust.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::Result;
use unspun_align::pair::LEXICAL_FEATURES;
use unspun_embed::TOKEN_FEATURES;

use crate::data::Pair;
use crate::features::PairFeatures;

/// Writes the features of MRPC `train` and `test` (with their labels) to
/// `path`.
pub fn dump(
    path: &Path,
    train: &[Pair],
    f_train: &[PairFeatures],
    test: &[Pair],
    f_test: &[PairFeatures],
) -> Result<()> {
    let mut out = String::from("split\tlabel");
    for n in LEXICAL_FEATURES
        .iter()
        .chain(["cos_static", "cos_minilm"].iter())
    {
        let _ = write!(out, "\t{n}");
    }
    for n in TOKEN_FEATURES {
        let _ = write!(out, "\tminilm_{n}");
    }
    for n in TOKEN_FEATURES {
        let _ = write!(out, "\tstatic_{n}");
    }
    out.push_str("\tpair_margin\n");
    for (split, pairs, feats) in [("train", train, f_train), ("test", test, f_test)] {
        for (p, f) in pairs.iter().zip(feats) {
            let _ = write!(out, "{split}\t{}", u8::from(p.gold > 0.5));
            for v in f
                .lex
                .iter()
                .chain([f.cos_static, f.cos_minilm].iter())
                .chain(&f.tok_minilm)
                .chain(&f.tok_static)
            {
                let _ = write!(out, "\t{v}");
            }
            let _ = writeln!(out, "\t{}", f.margin);
        }
    }
    std::fs::write(path, out)?;
    Ok(())
}
