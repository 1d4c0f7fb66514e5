//! The change suite: precision and recall of `unspun-changes` per change
//! type, on copies of real articles with known edits planted in them.
//!
//! Articles: Reuters-21578 (SGML, dated 1987) and BBC News (plain text,
//! undated: every BBC article is given the date 2005-06-17, a Friday, and
//! the outlet "BBC News"). A fixed number of articles of each corpus is
//! drawn with a SplitMix64 generator seeded with [`SEED`], so every run
//! plants the same edits in the same places.
//!
//! Each case is the source article and one copy of it with **one** edit:
//!
//! * planted changes, each expected as one change of its type at the edit:
//!   a word inside a quote replaced (`quote_altered`), a figure changed
//!   (`number_changed`), a hedge added (`hedge_changed`), a city replaced by
//!   its country (`place_generalised`), `not` inserted after an auxiliary
//!   (`negation_changed`), a verb swapped for its antonym
//!   (`polarity_changed`), a weekday shifted by two days (`date_changed`), a
//!   sentence removed (`sentence_dropped`), the copy published without the
//!   source's credit (`attribution_missing`), a country replaced by one of
//!   its cities from the gazetteer (`place_specified`), a two-word name
//!   replaced by a name from nowhere in the article (`entity_replaced`), a
//!   new name joined to one (`X and Henrik Larsen`, `entity_added`), the
//!   second of two names joined by "and" removed with its "and"
//!   (`entity_dropped`), the name in `"...," said X` / `"...," X said`
//!   replaced (`quote_speaker_changed`), a new quoted sentence (`"...," the
//!   spokesman said.`) appended to a paragraph (`quote_added`), and a
//!   sentence carrying a quote of four or more words removed
//!   (`quote_dropped`);
//! * harmless variants, where nothing may be reported: a figure written in
//!   words or with a scale word ("12" → "twelve", "1,200,000" → "1.2
//!   million"), a weekday replaced by "yesterday"/"today" when that is the
//!   same day, a long name respelled with one letter doubled, and "said"
//!   outside quotes replaced by "stated".
//!
//! Real rewordings are harmless variants too: the SummEdits edits judged
//! consistent (seed summary → edit) and the MRPC pairs labelled paraphrase
//! (first sentence → second), both sides dated alike.
//!
//! Every copy except the credit case is published by the source's own
//! outlet, so credits are kept. A reported change counts as a true positive
//! when it has the planted type and its evidence overlaps the edit; any
//! other change of a non-`info` severity is a false positive of its type,
//! except the consequences of the same edit, which are neither:
//!
//! * in a dropped sentence, what it carried (its quotes, names, figures:
//!   changes with source evidence inside it and none in the copy);
//! * for `number_changed`, a `claim_added` or `number_added` of the new
//!   figure (a short line that no longer aligns once its figure changed);
//! * for `quote_dropped`, the `sentence_dropped` of the sentence (the
//!   expectation is the quote; the sentence went with it);
//! * for `quote_speaker_changed`, the `entity_*` change of the name in the
//!   speaker slot;
//! * for a planted name (`entity_replaced`, `entity_added`,
//!   `quote_speaker_changed`), a `quote_speaker_changed` that gives a quote
//!   to the planted name: the name stood, or now stands, where the text
//!   says who spoke, for that quote or for the quotes that continue it.
//!
//! Cases that are ill-posed are not planted:
//!
//! * names: only two capitalised words after a lowercase word, neither
//!   word found anywhere else in the article, not a gazetteer place, title
//!   or calendar word: replacing one mention of a person named again
//!   ("Paul Koether ... Koether said") leaves the person named;
//! * countries: only a country named once in its sentence, with no other
//!   place of that country there ("Colombian", "Bank of Canada"), and not
//!   inside a longer name ("Northern Ireland"): otherwise the sentence still
//!   names the country and nothing was made more precise; cities whose name
//!   starts with "The" are not used;
//! * quote words: a negation ("don't", "never") is not the word replaced
//!   in a quote, since that is also a negation removed;
//! * quote-bearing sentences: only one with exactly two quotation marks,
//!   since a cut that leaves a mark unpaired re-pairs every later quote.
//!
//! Sentence drops are not restricted: a dropped sentence is reported even
//! when the article has a near twin of it, and the suite has no such miss.
//!
//! Run: `cargo run --release -p unspun-bench --bin change-suite [-- --write]`;
//! `--write` stores the table in `docs/CHANGES-BENCH.md`.

mod articles;
mod case;
mod cross;
mod detect;
mod plant;
mod rng;
mod table;

use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::Result;
use clap::Parser;
use rayon::prelude::*;
use unspun_align::{Aligner, AnalyzedArticle};
use unspun_changes::{ChangeDetector, ChangeType};
use unspun_segment::{Analyzer, Segmenter};

use crate::case::Case;
use crate::detect::Outcome;
use crate::rng::{Rng, SEED};

#[derive(Parser, Debug)]
#[command(about = "Precision and recall of change detection on planted edits")]
struct Args {
    /// The shared data folder.
    #[arg(long, default_value = "../shared/data")]
    data: PathBuf,
    /// Articles drawn from each corpus.
    #[arg(long, default_value_t = 300)]
    per_corpus: usize,
    /// Write docs/CHANGES-BENCH.md.
    #[arg(long)]
    write: bool,
    /// Also trace every copy against the whole BBC News + Reuters-21578
    /// store and count changes reported against any source but the one
    /// the edit was planted in (issue 14: changes only where there is
    /// derivation).
    #[arg(long)]
    cross_source: bool,
    /// The real-news store of `--cross-source` (ingested when empty; shared
    /// with `reuse-eval`).
    #[arg(long, default_value = "bench/out/reuse-store")]
    store: PathBuf,
    /// Trace semantics of `--cross-source`: `static` (as `unspun trace`),
    /// `lexical` or `minilm`.
    #[arg(long, default_value = "static")]
    model: String,
}

fn main() -> Result<()> {
    let args = Args::parse();
    let started = std::time::Instant::now();
    let articles = articles::load(&args.data, args.per_corpus);
    let (seg, an) = (Segmenter::new(), Analyzer::new());
    let det = ChangeDetector::new();
    let aligner = Aligner::new();
    let mut rng = Rng(SEED ^ 0xCA5E);
    let sources: Vec<AnalyzedArticle> = articles
        .into_iter()
        .map(|a| AnalyzedArticle::new(a, &seg, &an))
        .collect();
    let all_cases: Vec<(usize, Case)> = sources
        .iter()
        .enumerate()
        .flat_map(|(i, a)| {
            plant::cases(a, det.gazetteer(), &mut rng)
                .into_iter()
                .map(move |c| (i, c))
        })
        .collect();
    eprintln!("{} articles, {} cases", sources.len(), all_cases.len());
    let results: Vec<Outcome> = all_cases
        .par_iter()
        .map(|(i, case)| detect::run_case(case, &sources[*i], &det, &aligner))
        .collect();
    // Real rewordings: nothing should be reported on them either. Kept in
    // their own table: an MRPC "paraphrase" may still change a figure or
    // drop a name (its annotators judged meaning overlap, not facts), so
    // its reports are not all false, and mixing them into the planted
    // cases' precision would hide both.
    let rewordings = articles::real_rewordings(&args.data)?;
    let reworded: Vec<(&str, Vec<ChangeType>)> = rewordings
        .par_iter()
        .map(|(why, source, copy)| {
            detect::run_rewording(why, source, copy, &seg, &an, &det, &aligner)
        })
        .collect();
    let tables = table::Tables::new(&results, &reworded);
    let mut md = String::new();
    let _ = writeln!(md, "# Change detection benchmark\n");
    let _ = writeln!(
        md,
        "Measured {} on {}, commit {}, by `cargo run --release -p unspun-bench --bin change-suite -- --write{}` (seed `{SEED:#x}`, {} articles per corpus from Reuters-21578 and BBC News, {} cases, {:.0} s).\n",
        chrono::Local::now().format("%Y-%m-%d"),
        unspun_bench::machine(),
        unspun_bench::commit(),
        if args.cross_source { " --cross-source" } else { "" },
        args.per_corpus,
        results.len(),
        started.elapsed().as_secs_f64()
    );
    let _ = writeln!(md, "Each case is a real article and a copy of it with one planted edit or one harmless variant; see the generator's header (`crates/bench/src/bin/change_suite/main.rs`) for the rules. Recall: planted edits reported at their place. Precision: reported changes (severity above `info`) that are a planted edit.\n");
    tables.write(&mut md);
    if args.cross_source {
        let copies = cross::copies(&sources, &all_cases);
        let cross = cross::cross_source(&args.store, &args.data, &args.model, &sources, &copies)?;
        cross.write(&mut md);
    }
    print!("{md}");
    if args.write {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/CHANGES-BENCH.md");
        std::fs::write(&path, &md)?;
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}
