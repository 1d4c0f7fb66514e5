//! Step 2's one comparison: an article `X` with candidate sources `Z` and
//! `Y`, where `Z` derives from `Y`, copied `Z` (second hand), `Y` (`Z` a
//! sibling), both, or either (a tie).

use super::Candidate;
use crate::pairs::SentencePair;

/// Per-derived-sentence score of a candidate edge (0 where unaligned).
pub(super) fn sentence_scores(c: &Candidate) -> Vec<f32> {
    let mut s = vec![0.0f32; c.derived_matched.len()];
    for g in &c.edge.evidence {
        for &i in &g.derived {
            if i < s.len() {
                s[i] = s[i].max(g.score);
            }
        }
    }
    s
}

/// Margin of mean similarity by which a copy is judged closer to one of
/// two candidate parents.
const CLOSER_MARGIN: f32 = 0.02;

/// Least corpus information (nats) the material `X` carries of `Z` beyond
/// their common source must hold to count: the floor a pair needs to be
/// reuse at all ([`unspun_align::MIN_PAIR_INFO`]), so a stock phrase two
/// rewrites both added ("risk analysis plays a crucial role") is not
/// evidence that one copied the other.
const MIN_CARRIED_INFO: f32 = unspun_align::MIN_PAIR_INFO;

/// What one two-parent comparison decided.
pub(super) enum Choice {
    /// Keep the intermediate `Z` only: `X` reuses `Y` second hand.
    Intermediate,
    /// Keep the upstream `Y` only: `Z` is a sibling.
    Upstream,
    /// Keep both: `X` draws on both.
    Both,
    /// Indistinguishable: keep the upstream `Y`, uncertain.
    Tie,
}

/// Whether a sentence pair is literal (verbatim or edited): what copying
/// leaves, where two independent rewrites of one sentence leave a
/// paraphrase.
fn literal(g: &SentencePair) -> bool {
    g.kind == "verbatim" || g.kind == "edited"
}

/// Decides between `Z` and `Y` as the parent of `X`, where `Z` derives from
/// `Y`: `X` and `Z` are siblings (both from `Y`) unless `X` carries
/// material of `Z` that `Y` lacks. `explained_elsewhere[i]` says whether
/// derived sentence `i` of `X` is also aligned to a candidate source other
/// than `Z` and `Z`'s own descendants: material `Z` took from a third
/// article `W` is evidence for `W`, not for `Z`. Also returns the sentences
/// of `Z` that are the evidence for keeping `Z` (empty unless the choice
/// keeps it).
///
/// Material of `Z` counts only when `X` holds it word for word (verbatim
/// or edited), does not have it from `Y` as well, and it carries
/// [`MIN_CARRIED_INFO`]: two rewrites of one text match each other as
/// paraphrase where their alignment to it missed a sentence, and add the
/// same stock lines; on the l2r-dev families (four LLM rewrites of each
/// human text) such matches drew most sibling → sibling edges. Likewise
/// "closer wording" keeps `Z` only when `X` keeps `Z`'s wording literally
/// (a copy of an edit); otherwise `Y` is kept.
pub(super) fn choose(
    xz: &Candidate,
    xy: &Candidate,
    zy: &Candidate,
    explained_elsewhere: &[bool],
) -> (Choice, String, Vec<usize>) {
    let y_not_in_z = |t: usize| zy.source_matched.get(t).is_some_and(|m| !m);
    let carried = carried_beyond(xz, Some(xy), zy, explained_elsewhere);
    let has_z_own = !carried.is_empty();
    let has_y_only = xy
        .edge
        .evidence
        .iter()
        .any(|g| g.source.iter().any(|&t| y_not_in_z(t)));
    let (z, y) = (&xz.edge.source, &xy.edge.source);
    let list = |v: &[usize]| {
        v.iter()
            .map(usize::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    match (has_z_own, has_y_only) {
        (true, false) => {
            let why = format!(
                "carries material {z} added to {y} (its sentences {})",
                list(&carried)
            );
            return (Choice::Intermediate, why, carried);
        }
        (false, true) => {
            return (
                Choice::Upstream,
                format!("carries material of {y} that {z} dropped"),
                Vec::new(),
            )
        }
        (true, true) => {
            let why = format!(
                "carries material of {z} (its sentences {}) and material of {y} that {z} lacks",
                list(&carried)
            );
            return (Choice::Both, why, carried);
        }
        (false, false) => {}
    }
    let (sz, sy) = (sentence_scores(xz), sentence_scores(xy));
    let (mut tz, mut ty, mut n) = (0.0, 0.0, 0usize);
    for i in 0..sz.len().min(sy.len()) {
        if sz[i] > 0.0 && sy[i] > 0.0 {
            tz += sz[i];
            ty += sy[i];
            n += 1;
        }
    }
    if n == 0 {
        // X shares with Z only what Z took from Y (else it would carry Z's
        // own material): a sibling, whatever the two alignments missed.
        return (
            Choice::Upstream,
            format!("shares with {z} only material {z} took from {y}"),
            Vec::new(),
        );
    }
    let d = (tz - ty) / n as f32;
    // The sentences X shares with both, aligned to Z literally.
    let kept: Vec<&SentencePair> = xz
        .edge
        .evidence
        .iter()
        .filter(|g| literal(g))
        .filter(|g| {
            g.derived
                .iter()
                .any(|&i| sy.get(i).is_some_and(|&v| v > 0.0))
        })
        .collect();
    let literal_share = kept.iter().map(|g| g.derived.len()).sum::<usize>() as f32 / n as f32;
    if d > CLOSER_MARGIN && literal_share >= LITERAL_SHARE {
        let mut carried: Vec<usize> = kept.iter().flat_map(|g| g.source.iter().copied()).collect();
        carried.sort_unstable();
        carried.dedup();
        (
            Choice::Intermediate,
            format!(
                "keeps the wording of {z} over {y} ({:+.2} mean similarity; its sentences {})",
                d,
                list(&carried)
            ),
            carried,
        )
    } else if d > CLOSER_MARGIN {
        (
            Choice::Upstream,
            format!(
                "closer to the wording of {z} ({:+.2} mean similarity) but not word for word, and carries nothing {z} added to {y}",
                d
            ),
            Vec::new(),
        )
    } else if d < -CLOSER_MARGIN {
        (
            Choice::Upstream,
            format!(
                "keeps the wording of {y} over {z} ({:+.2} mean similarity)",
                -d
            ),
            Vec::new(),
        )
    } else {
        (
            Choice::Tie,
            format!("{z} and {y} are indistinguishable in it; the upstream {y} is taken"),
            Vec::new(),
        )
    }
}

/// The sentences of `Z` that `X` carries and `Z`'s source `Y` lacks
/// (unaligned in `zy`), held word for word, not from `Y` as well (`xy`,
/// when `Y` is a candidate of `X`) nor from another candidate
/// (`explained_elsewhere`), with [`MIN_CARRIED_INFO`] over all of them;
/// else none.
pub(super) fn carried_beyond(
    xz: &Candidate,
    xy: Option<&Candidate>,
    zy: &Candidate,
    explained_elsewhere: &[bool],
) -> Vec<usize> {
    let z_own = |s: usize| zy.derived_matched.get(s).is_some_and(|m| !m);
    let from_z_only = |i: usize| {
        !explained_elsewhere.get(i).copied().unwrap_or(false)
            && !xy.is_some_and(|xy| xy.derived_matched.get(i).copied().unwrap_or(false))
    };
    let own: Vec<&SentencePair> = xz
        .edge
        .evidence
        .iter()
        .filter(|g| literal(g))
        .filter(|g| g.source.iter().any(|&s| z_own(s)))
        .filter(|g| g.derived.iter().any(|&i| from_z_only(i)))
        .collect();
    if own.iter().map(|g| g.info).sum::<f32>() < MIN_CARRIED_INFO {
        return Vec::new();
    }
    let mut v: Vec<usize> = own
        .iter()
        .flat_map(|g| g.source.iter().copied().filter(|&s| z_own(s)))
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Least share of the sentences `X` shares with both `Z` and `Y` that `X`
/// must hold word for word (verbatim or edited) from `Z` for "closer
/// wording" to make `Z` the parent: most of them, as a copy of `Z` would.
pub(crate) const LITERAL_SHARE: f32 = 0.8;
