//! Word-level diff of two token sequences (a longest common subsequence over
//! normalised words), used to show how a quote was altered.

use serde::Serialize;
use unspun_segment::Token;

/// One step of a word diff from the source's words to the derived words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum DiffOp {
    /// Words in both (shown as the derived article writes them).
    Equal {
        /// The words, space-separated.
        text: String,
    },
    /// Words of the source missing from the derived text.
    Delete {
        /// The words, space-separated.
        text: String,
    },
    /// Words of the derived text missing from the source.
    Insert {
        /// The words, space-separated.
        text: String,
    },
}

/// Above this many cells the LCS table is not built: the whole span is one
/// delete and one insert (quotes are short; hostile input is not).
const MAX_CELLS: usize = 4_000_000;

/// The diff from `source` to `derived` tokens, comparing norms (so case and
/// punctuation do not count). `st` and `dt` are the two texts.
pub(crate) fn diff(st: &str, source: &[Token], dt: &str, derived: &[Token]) -> Vec<DiffOp> {
    let steps = steps(source, derived);
    let mut out: Vec<DiffOp> = Vec::new();
    for (op, k) in steps {
        let word = match op {
            Step::Delete => source[k].span.text(st),
            _ => derived[k].span.text(dt),
        };
        let push_to = |text: &mut String| {
            text.push(' ');
            text.push_str(word);
        };
        match (out.last_mut(), op) {
            (Some(DiffOp::Equal { text }), Step::Equal)
            | (Some(DiffOp::Delete { text }), Step::Delete)
            | (Some(DiffOp::Insert { text }), Step::Insert) => push_to(text),
            _ => out.push(match op {
                Step::Equal => DiffOp::Equal { text: word.into() },
                Step::Delete => DiffOp::Delete { text: word.into() },
                Step::Insert => DiffOp::Insert { text: word.into() },
            }),
        }
    }
    out
}

/// One step of a token diff: the index is into `derived` for
/// [`Step::Equal`] and [`Step::Insert`], into `source` for [`Step::Delete`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Step {
    /// The same norm on both sides (derived index).
    Equal,
    /// A source token missing from the derived side (source index).
    Delete,
    /// A derived token missing from the source (derived index).
    Insert,
}

/// The longest-common-subsequence steps from `source` to `derived` tokens,
/// comparing norms, each with its token index (see [`Step`]).
pub(crate) fn steps(source: &[Token], derived: &[Token]) -> Vec<(Step, usize)> {
    let (n, m) = (source.len(), derived.len());
    let mut steps: Vec<(Step, usize)> = Vec::with_capacity(n + m);
    if n.saturating_mul(m) > MAX_CELLS {
        steps.extend((0..n).map(|i| (Step::Delete, i)));
        steps.extend((0..m).map(|j| (Step::Insert, j)));
    } else {
        // lcs[i][j] = LCS length of source[i..] and derived[j..].
        let w = m + 1;
        let mut lcs = vec![0u32; (n + 1) * w];
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                lcs[i * w + j] = if source[i].norm == derived[j].norm {
                    lcs[(i + 1) * w + j + 1] + 1
                } else {
                    lcs[(i + 1) * w + j].max(lcs[i * w + j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < n || j < m {
            if i < n && j < m && source[i].norm == derived[j].norm {
                steps.push((Step::Equal, j));
                i += 1;
                j += 1;
            } else if i < n && (j == m || lcs[(i + 1) * w + j] >= lcs[i * w + j + 1]) {
                steps.push((Step::Delete, i));
                i += 1;
            } else {
                steps.push((Step::Insert, j));
                j += 1;
            }
        }
    }
    steps
}

#[cfg(test)]
mod tests {
    use super::*;
    use unspun_segment::{Analyzer, Span};

    fn toks(s: &str) -> Vec<Token> {
        Analyzer::new().tokens(s, Span::new(0, s.len()))
    }

    #[test]
    fn diff_of_a_misquote() {
        let (s, d) = (
            "Most of the major points are agreed to,",
            "most of the Major points are agreed upon",
        );
        let ops = diff(s, &toks(s), d, &toks(d));
        assert_eq!(
            ops,
            vec![
                DiffOp::Equal {
                    text: "most of the Major points are agreed".into()
                },
                DiffOp::Delete { text: "to".into() },
                DiffOp::Insert {
                    text: "upon".into()
                },
            ]
        );
    }
}
