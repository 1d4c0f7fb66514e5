//! What a case is: the copy's text, whether it keeps the source's credit,
//! what it expects, and the consequences of its edit that count for
//! nothing; with the text edits the cases are built from.

use unspun_changes::ChangeType;

/// What a case expects.
#[derive(Clone, Debug)]
pub enum Expect {
    /// One change of this type, whose derived evidence overlaps this range
    /// of the copy (or, for source-side evidence, this range of the source).
    Change(ChangeType, Side, std::ops::Range<usize>),
    /// Nothing (a harmless variant).
    Nothing(&'static str),
}

#[derive(Clone, Copy, Debug)]
pub enum Side {
    Derived,
    Source,
    Any,
}

pub struct Case {
    pub text: String,
    pub keep_credit: bool,
    pub expect: Expect,
    /// Changes that are consequences of the same edit (a name replaced in
    /// the speaker slot is also an `entity_replaced`): neither counted nor
    /// false. Each is a type and the range of the edit it must overlap.
    pub also: Vec<(ChangeType, Side, std::ops::Range<usize>)>,
    /// A planted name: a `quote_speaker_changed` giving a quote to it is a
    /// consequence of the edit too (the name was or now is in a speaker's
    /// place, for that quote or the quotes that continue it).
    pub speaker: Option<&'static str>,
}

impl Case {
    /// A planted change, expected as one change of `kind` at `r`.
    pub fn planted(text: String, kind: ChangeType, side: Side, r: std::ops::Range<usize>) -> Case {
        Case {
            text,
            keep_credit: true,
            expect: Expect::Change(kind, side, r),
            also: Vec::new(),
            speaker: None,
        }
    }

    /// A harmless variant: nothing may be reported.
    pub fn harmless(text: String, why: &'static str) -> Case {
        Case {
            text,
            keep_credit: true,
            expect: Expect::Nothing(why),
            also: Vec::new(),
            speaker: None,
        }
    }
}

/// `text` with `r` replaced by `new`, and where `new` now stands.
pub fn splice(
    text: &str,
    r: std::ops::Range<usize>,
    new: &str,
) -> (String, std::ops::Range<usize>) {
    let mut s = String::with_capacity(text.len() + new.len());
    s.push_str(&text[..r.start]);
    s.push_str(new);
    s.push_str(&text[r.end..]);
    (s, r.start..r.start + new.len())
}

/// `text[a..b]`, widened to char boundaries and clamped to the text.
pub fn window(text: &str, mut a: usize, mut b: usize) -> &str {
    b = b.min(text.len());
    while !text.is_char_boundary(a) {
        a -= 1;
    }
    while !text.is_char_boundary(b) {
        b += 1;
    }
    &text[a..b]
}
