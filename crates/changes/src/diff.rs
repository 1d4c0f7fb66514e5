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
    let (n, m) = (source.len(), derived.len());
    let mut steps: Vec<(u8, usize)> = Vec::with_capacity(n + m); // (0 eq,1 del,2 ins, index)
    if n.saturating_mul(m) > MAX_CELLS {
        steps.extend((0..n).map(|i| (1, i)));
        steps.extend((0..m).map(|j| (2, j)));
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
                steps.push((0, j));
                i += 1;
                j += 1;
            } else if i < n && (j == m || lcs[(i + 1) * w + j] >= lcs[i * w + j + 1]) {
                steps.push((1, i));
                i += 1;
            } else {
                steps.push((2, j));
                j += 1;
            }
        }
    }
    let mut out: Vec<DiffOp> = Vec::new();
    for (op, k) in steps {
        let word = match op {
            1 => source[k].span.text(st),
            _ => derived[k].span.text(dt),
        };
        let push_to = |text: &mut String| {
            text.push(' ');
            text.push_str(word);
        };
        match (out.last_mut(), op) {
            (Some(DiffOp::Equal { text }), 0)
            | (Some(DiffOp::Delete { text }), 1)
            | (Some(DiffOp::Insert { text }), 2) => push_to(text),
            _ => out.push(match op {
                0 => DiffOp::Equal { text: word.into() },
                1 => DiffOp::Delete { text: word.into() },
                _ => DiffOp::Insert { text: word.into() },
            }),
        }
    }
    out
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
