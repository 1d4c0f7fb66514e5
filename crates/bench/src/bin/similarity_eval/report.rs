//! A fitted scorer written as Rust constants, for the report.

use std::fmt::Write as _;

use crate::scorer::Scorer;

pub fn rust_snippet(sc: &Scorer) -> String {
    let fitted_on = if sc.mode.uses_pair_model() {
        "MRPC train pairs i % 5 == 4 (815, which the pair model's adapter never saw)"
    } else {
        "MRPC train (4,076 pairs)"
    };
    let Some(l) = &sc.logistic else {
        return format!(
            "/// `{}`: paraphrase when the score >= this (fitted on {fitted_on}).\npub const THRESHOLD: f32 = {:.6};\n",
            sc.mode.name(),
            sc.threshold
        );
    };
    let list = |v: &[f64]| {
        v.iter()
            .map(|x| format!("{x:.6}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let d = l.names.len();
    let mut s = String::new();
    let _ = writeln!(
        s,
        "// `{}` sentence-pair scorer, fitted on {fitted_on} by\n// crates/bench/src/bin/similarity_eval/main.rs. p = sigmoid(BIAS + sum WEIGHTS[k] * (x[k] - MEANS[k]) / STDS[k]);\n// paraphrase when p >= THRESHOLD.",
        sc.mode.name()
    );
    let names = l
        .names
        .iter()
        .map(|n| format!("{n:?}"))
        .collect::<Vec<_>>()
        .join(", ");
    let _ = writeln!(s, "pub const FEATURES: [&str; {d}] = [{names}];");
    let _ = writeln!(s, "pub const MEANS: [f32; {d}] = [{}];", list(&l.mean));
    let _ = writeln!(s, "pub const STDS: [f32; {d}] = [{}];", list(&l.std));
    let _ = writeln!(s, "pub const WEIGHTS: [f32; {d}] = [{}];", list(&l.w));
    let _ = writeln!(s, "pub const BIAS: f32 = {:.6};", l.b);
    let _ = writeln!(s, "pub const THRESHOLD: f32 = {:.6};", sc.threshold);
    s
}
