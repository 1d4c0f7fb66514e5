//! Sentence segmentation for news text.
//!
//! The splitter works in two passes, both linear in the text:
//!
//! 1. Lines are grouped into paragraphs. A blank line, a line starting with
//!    indentation (Reuters-21578 bodies mark paragraphs with `"\n    "` and
//!    hard-wrap at ~70 columns with a plain `"\n"`), or U+2029 starts a new
//!    paragraph; a plain single newline does not. Paragraphs always end a
//!    sentence, and quotation state never crosses them (news quotes that run on
//!    into the next paragraph have no closing mark).
//! 2. Inside a paragraph, each run of terminal punctuation (`. ! ? …`, plus any
//!    closing quotes and brackets right after it) is a candidate boundary. It
//!    becomes one only if it is followed by white space, we are not inside a
//!    quotation, the next character could start a sentence (not lowercase, not
//!    closing punctuation) and, for a single `.`, the word before it is not an
//!    abbreviation that binds to what follows (see [`Segmenter`]). A gap of
//!    two or more spaces between a lowercase word and a capitalised one is
//!    a boundary too, where extraction lost the full stop (see
//!    `is_gap_boundary`).
//!
//! The first line of a paragraph can also be a heading on its own (a headline
//! followed by a single newline); see [`Segmenter`] for the exact rule.

mod words;

use crate::token::is_stopword;
use crate::Span;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::OnceLock;
use words::{is_starter, speech_follows, Abbrev, TITLES, TRAILING};

/// What kind of text a [`Sentence`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SentenceKind {
    /// Ordinary running text.
    Prose,
    /// A paragraph or line without final punctuation: a headline, a subheading
    /// such as "Newcomer to diplomacy", a photo caption, a dateline or a
    /// byline.
    Heading,
}

/// One sentence of a text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Sentence {
    /// Byte range of the sentence; never empty, never starts or ends with
    /// white space.
    pub span: Span,
    /// 0-based index of the paragraph the sentence belongs to. A headline line
    /// split off the top of a paragraph counts as a paragraph of its own.
    pub paragraph: usize,
    /// Prose or heading.
    pub kind: SentenceKind,
}

/// A sentence splitter for news text.
///
/// Build one with [`Segmenter::new`] or [`SegmenterBuilder`] and reuse it; it
/// is `Send + Sync`.
///
/// # Rules
///
/// * A blank line, a line starting with indentation (Reuters-21578 marks
///   paragraphs with `"\n    "` and hard-wraps lines with a plain `"\n"`) or
///   U+2029 starts a paragraph; a plain single newline is just white space.
///   Paragraphs always end a sentence, and quotation state resets at each
///   one. A paragraph that
///   is a single sentence without final punctuation (`. ! ? …`, optionally
///   followed by closing quotes or brackets) and not ending in `, ; :` is a
///   [`SentenceKind::Heading`].
/// * The first line of a multi-line paragraph is a heading of its own when it
///   has at most 10 words, no terminal punctuation, does not end in a stopword
///   or punctuation, the next line starts with an uppercase letter, and the
///   first word of the next line would have fitted on it (so it is not a line
///   of hard-wrapped prose). This repeats for the following line.
/// * No boundary inside a quotation (`“…”`, `"…"`, `«…»`); straight quotes are
///   opening when preceded by white space or an opening bracket, closing when
///   followed by white space or punctuation, and otherwise alternate. After a
///   quotation closed after terminal punctuation, a capitalised name followed
///   by a verb of speech (`“Stop.” Trump wrote.`) continues the sentence.
/// * No boundary unless the punctuation is followed by white space and then
///   something that can start a sentence (not a lowercase letter, not closing
///   punctuation): decimals, URLs, `"Why?" he asked` never split.
/// * Never after titles (`Mr. Mrs. Ms. Dr. Gov. Sen. Rep. Gen. Lt. Col. Sgt.
///   Capt. Adm. Maj. Cpl. Prof. Rev. Hon. Pres. Supt. Det. Mt. Ft. vs.` and
///   abbreviations added with [`SegmenterBuilder::abbreviation`]) nor after a
///   single capital initial (`George W. Bush`); `No.`/`Nos.` only before a
///   digit.
/// * After dotted abbreviations (`U.S.`, `U.K.`, `J.D.`, `a.m.`, `Ph.D.`) and
///   trailing abbreviations (`Inc. Corp. Ltd. Co. Jr. Sr. St. Ave. Jan. …
///   Dec. approx. est.`, US state abbreviations, and those added with
///   [`SegmenterBuilder::trailing_abbreviation`]), only before a capitalised
///   common sentence starter (`The He She It They We But In A …`).
/// * An ellipsis preceded by white space (an elision inside a quote) never
///   splits; one attached to a word splits like a full stop.
#[derive(Clone, Debug)]
pub struct Segmenter {
    abbrevs: HashMap<String, Abbrev>,
}

/// Builder for a [`Segmenter`] with extra abbreviations.
///
/// ```
/// use unspun_segment::SegmenterBuilder;
/// let seg = SegmenterBuilder::new().abbreviation("Cmdr.").abbreviation("Supt.").build();
/// assert_eq!(seg.split("Cmdr. Jones spoke. He left.").len(), 2);
/// ```
#[derive(Clone, Debug)]
pub struct SegmenterBuilder {
    abbrevs: HashMap<String, Abbrev>,
}

impl Default for SegmenterBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl SegmenterBuilder {
    /// A builder holding the built-in abbreviation lists.
    pub fn new() -> Self {
        let mut abbrevs = HashMap::new();
        for a in TRAILING {
            abbrevs.insert((*a).to_string(), Abbrev::Trailing);
        }
        for a in TITLES {
            abbrevs.insert((*a).to_string(), Abbrev::Title);
        }
        abbrevs.insert("No".to_string(), Abbrev::Number);
        abbrevs.insert("Nos".to_string(), Abbrev::Number);
        SegmenterBuilder { abbrevs }
    }

    /// Adds an abbreviation that never ends a sentence, like a title
    /// (`"Sgt."`). The trailing dot is optional; matching is case-sensitive,
    /// except that an all-uppercase word also matches (`"SGT."`).
    pub fn abbreviation(mut self, abbr: &str) -> Self {
        let key = abbr.trim().trim_end_matches('.');
        if !key.is_empty() {
            self.abbrevs.insert(key.to_string(), Abbrev::Title);
        }
        self
    }

    /// Adds an abbreviation that may end a sentence (`"Calif."`): after it a
    /// boundary is made only before a common sentence starter such as "The".
    pub fn trailing_abbreviation(mut self, abbr: &str) -> Self {
        let key = abbr.trim().trim_end_matches('.');
        if !key.is_empty() {
            self.abbrevs.insert(key.to_string(), Abbrev::Trailing);
        }
        self
    }

    /// Builds the segmenter.
    pub fn build(self) -> Segmenter {
        Segmenter {
            abbrevs: self.abbrevs,
        }
    }
}

impl Default for Segmenter {
    fn default() -> Self {
        Self::new()
    }
}

/// Splits `text` into sentences with a lazily built default [`Segmenter`].
pub fn split_sentences(text: &str) -> Vec<Sentence> {
    static DEFAULT: OnceLock<Segmenter> = OnceLock::new();
    DEFAULT.get_or_init(Segmenter::new).split(text)
}

/// One line of the text, without its line terminator.
#[derive(Clone, Copy, Debug)]
struct Line {
    /// Start of the line (after the previous terminator).
    start: usize,
    /// Byte range of the line with white space trimmed.
    trim_start: usize,
    trim_end: usize,
    /// Terminated by U+2029 PARAGRAPH SEPARATOR.
    para_sep: bool,
}

impl Line {
    fn is_blank(&self) -> bool {
        self.trim_start == self.trim_end
    }
}

fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

fn is_terminal(c: char) -> bool {
    matches!(
        c,
        '.' | '!' | '?' | '…' | '‼' | '⁇' | '⁈' | '⁉' | '。' | '！' | '？'
    )
}

/// Closing quotes and brackets that may follow terminal punctuation.
fn is_closer(c: char) -> bool {
    matches!(
        c,
        '"' | '”' | '’' | '\'' | ')' | ']' | '}' | '»' | '›' | '」' | '』'
    )
}

/// Opening quotes and brackets that may precede a sentence or a word.
fn is_opener(c: char) -> bool {
    matches!(
        c,
        '"' | '“' | '‘' | '\'' | '(' | '[' | '{' | '«' | '‹' | '„' | '「' | '『'
    )
}

/// Whether a sentence could start with `c` (after white space that follows
/// terminal punctuation).
fn can_start_sentence(c: char) -> bool {
    if c.is_lowercase() {
        return false;
    }
    !matches!(
        c,
        ',' | ';'
            | ':'
            | ')'
            | ']'
            | '}'
            | '»'
            | '›'
            | '”'
            | '’'
            | '!'
            | '?'
            | '.'
            | '…'
            | '%'
            | '-'
            | '–'
            | '—'
            | '/'
            | '&'
    )
}

/// Whether `s` ends with terminal punctuation, ignoring closing quotes and
/// brackets after it.
fn ends_with_terminal(s: &str) -> bool {
    s.trim_end_matches(is_closer)
        .chars()
        .next_back()
        .is_some_and(is_terminal)
}

/// The char starting at byte `i` of `s` (which must be a boundary < len).
/// Fewest words a sentence must have before a gap of spaces can end it
/// ([`is_gap_boundary`]): fewer are a table cell or a label ("Today",
/// "Yes  No"), not a sentence that lost its full stop.
const GAP_MIN_WORDS: usize = 4;

/// Whether the run of two or more spaces or tabs at `gap..next`, inside a
/// paragraph and outside quotation, ends the sentence that started at
/// `sent_start` although no punctuation does: text whose full stops were
/// lost in extraction, with the gap they left ("spam websites  Internet
/// portal Lycos has made", BBC News; the climate disclosures of l2r-dev,
/// where nearly every human text is one run-on "sentence" so). Only after a
/// lowercase word or a closing bracket, before a capitalised word (an
/// upper-case letter, then a lower-case one), after at least
/// [`GAP_MIN_WORDS`] single-spaced words, not after a stopword: the
/// columns of a table ("Today      Change     Yr Ago", "Deliverable  This
/// Week  Week Ago") stay together.
fn is_gap_boundary(s: &str, sent_start: usize, gap: usize, next: usize) -> bool {
    let before = &s[sent_start..gap];
    if !before
        .chars()
        .next_back()
        .is_some_and(|c| c.is_lowercase() || c == ')')
    {
        return false;
    }
    let mut after = s[next..].trim_start_matches(is_opener).chars();
    if !(after.next().is_some_and(char::is_uppercase)
        && after.next().is_some_and(char::is_lowercase))
    {
        return false;
    }
    // A table row has gaps between all its cells; prose that lost a full
    // stop is single-spaced up to the gap.
    let single_spaced = !before.contains("  ") && !before.contains('\t');
    // A sentence rarely ends on "by", "the" or "of": a stray double space
    // before a name ("signed by  Peter Smith") is not a lost full stop.
    single_spaced
        && !ends_on_stopword(before)
        && before.split_whitespace().nth(GAP_MIN_WORDS - 1).is_some()
}

/// Whether the last word of `s` (its letters and digits) is a stopword: a
/// line or a sentence rarely ends on "of" or "the".
fn ends_on_stopword(s: &str) -> bool {
    let last = s
        .rsplit(char::is_whitespace)
        .next()
        .unwrap_or("")
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    is_stopword(&last)
}

fn char_at(s: &str, i: usize) -> char {
    s[i..].chars().next().unwrap_or('\0')
}

fn lines_of(text: &str) -> Vec<Line> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut iter = text.char_indices();
    let push = |out: &mut Vec<Line>, start: usize, end: usize, para_sep: bool| {
        let s = &text[start..end];
        let trim_start = start + (s.len() - s.trim_start().len());
        let trim_end = start + s.trim_end().len();
        out.push(Line {
            start,
            trim_start,
            trim_end: trim_end.max(trim_start),
            para_sep,
        });
    };
    while let Some((i, c)) = iter.next() {
        if is_line_break(c) {
            let mut next = i + c.len_utf8();
            if c == '\r' && bytes.get(next) == Some(&b'\n') {
                iter.next();
                next += 1;
            }
            push(&mut out, start, i, c == '\u{2029}');
            start = next;
        }
    }
    push(&mut out, start, text.len(), false);
    out
}

impl Segmenter {
    /// A segmenter with the built-in abbreviation lists; same as
    /// `SegmenterBuilder::new().build()`.
    pub fn new() -> Self {
        SegmenterBuilder::new().build()
    }

    /// Splits `text` into sentences, in order. See the crate docs for the
    /// invariants the result satisfies.
    pub fn split(&self, text: &str) -> Vec<Sentence> {
        let lines = lines_of(text);
        let mut out = Vec::with_capacity(text.len() / 100 + 1);
        let mut para = 0;
        let mut first = 0; // first line of the current paragraph
        let mut i = 0;
        while i < lines.len() {
            let line = lines[i];
            if line.is_blank() {
                if first < i {
                    self.paragraph(text, &lines[first..i], &mut para, &mut out);
                }
                first = i + 1;
            } else if first < i && line.trim_start > line.start {
                // Indented line: a new paragraph (Reuters style).
                self.paragraph(text, &lines[first..i], &mut para, &mut out);
                first = i;
            }
            if line.para_sep && !line.is_blank() {
                self.paragraph(text, &lines[first..=i], &mut para, &mut out);
                first = i + 1;
            }
            i += 1;
        }
        if first < lines.len() {
            self.paragraph(text, &lines[first..], &mut para, &mut out);
        }
        out
    }

    /// Splits one paragraph (non-blank lines) into sentences.
    fn paragraph(&self, text: &str, lines: &[Line], para: &mut usize, out: &mut Vec<Sentence>) {
        let mut li = 0;
        if lines.len() > 1 {
            let max_chars = lines
                .iter()
                .map(|l| text[l.trim_start..l.trim_end].chars().count())
                .max()
                .unwrap_or(0);
            while li + 1 < lines.len()
                && self.is_heading_line(text, &lines[li], &lines[li + 1], max_chars)
            {
                out.push(Sentence {
                    span: Span::new(lines[li].trim_start, lines[li].trim_end),
                    paragraph: *para,
                    kind: SentenceKind::Heading,
                });
                *para += 1;
                li += 1;
            }
        }
        let start = lines[li].trim_start;
        let end = lines[lines.len() - 1].trim_end;
        let before = out.len();
        let p = *para;
        self.scan(text, start, end, &mut |s, e| {
            out.push(Sentence {
                span: Span::new(s, e),
                paragraph: p,
                kind: SentenceKind::Prose,
            })
        });
        if out.len() == before + 1 {
            let s = out[before].span.text(text);
            if !ends_with_terminal(s) && !s.ends_with([',', ';', ':']) {
                out[before].kind = SentenceKind::Heading;
            }
        }
        *para += 1;
    }

    /// Whether `line`, the first line of a paragraph followed by `next`, is a
    /// headline of its own rather than the first line of wrapped prose.
    fn is_heading_line(&self, text: &str, line: &Line, next: &Line, max_chars: usize) -> bool {
        let s = &text[line.trim_start..line.trim_end];
        let n = &text[next.trim_start..next.trim_end];
        if s.split_whitespace().take(11).count() > 10 || ends_with_terminal(s) {
            return false;
        }
        let last = s.chars().next_back().unwrap_or(' ');
        if !(last.is_alphanumeric() || is_closer(last)) {
            return false;
        }
        if ends_on_stopword(s) {
            return false;
        }
        if !n
            .trim_start_matches(is_opener)
            .chars()
            .next()
            .is_some_and(char::is_uppercase)
        {
            return false;
        }
        // A wrapped line is one the next word did not fit on.
        let next_word = n.split(char::is_whitespace).next().unwrap_or("");
        if s.chars().count() + 1 + next_word.chars().count() > max_chars {
            return false;
        }
        let mut count = 0;
        self.scan(text, line.trim_start, line.trim_end, &mut |_, _| count += 1);
        count == 1
    }

    /// Finds the sentences of `text[start..end]` (trimmed, non-empty, one
    /// paragraph) and calls `emit(start, end)` for each, in order.
    fn scan(&self, text: &str, start: usize, end: usize, emit: &mut dyn FnMut(usize, usize)) {
        // Look no further than the paragraph.
        let s = &text[..end];
        let mut sent_start = start;
        let mut in_quote = false;
        let mut i = start;
        while i < end {
            let c = char_at(s, i);
            match c {
                '“' | '«' | '„' => in_quote = true,
                '”' | '»' => in_quote = false,
                '"' => in_quote = straight_quote_opens(s, start, i, in_quote),
                ' ' | '\t' if !in_quote => {
                    let mut j = i;
                    while j < end && matches!(char_at(s, j), ' ' | '\t') {
                        j += 1;
                    }
                    if j - i >= 2 && j < end && is_gap_boundary(s, sent_start, i, j) {
                        emit(sent_start, i);
                        sent_start = j;
                    }
                    i = j;
                    continue;
                }
                c if is_terminal(c) => {
                    let run_start = i;
                    let mut j = i;
                    let (mut dots, mut others, mut ellipsis) = (0, 0, false);
                    while j < end {
                        let c = char_at(s, j);
                        if !is_terminal(c) {
                            break;
                        }
                        match c {
                            '.' => dots += 1,
                            '…' => {
                                ellipsis = true;
                                others += 1
                            }
                            _ => others += 1,
                        }
                        j += c.len_utf8();
                    }
                    let (mut closers, mut quote_closed) = (false, false);
                    while j < end {
                        let c = char_at(s, j);
                        if !is_closer(c) {
                            break;
                        }
                        closers = true;
                        if matches!(c, '"' | '”' | '»') {
                            in_quote = false;
                            quote_closed = true;
                        }
                        j += c.len_utf8();
                    }
                    i = j;
                    if in_quote || j >= end || !char_at(s, j).is_whitespace() {
                        continue;
                    }
                    let r = j + (s[j..].len() - s[j..].trim_start().len());
                    if r >= end {
                        continue;
                    }
                    let run = Run {
                        start: run_start,
                        single_dot: dots == 1 && others == 0 && !closers,
                        ellipsis: ellipsis || dots >= 2,
                        quote_closed,
                    };
                    if self.boundary(s, sent_start, &run, r) {
                        emit(sent_start, j);
                        sent_start = r;
                    }
                    i = r;
                    continue;
                }
                _ => {}
            }
            i += c.len_utf8();
        }
        if sent_start < end {
            emit(sent_start, end);
        }
    }

    /// Decides whether the terminal run `run`, followed by white space and then
    /// the text at `r`, ends the sentence that started at `sent_start`. `s`
    /// ends at the paragraph end.
    fn boundary(&self, s: &str, sent_start: usize, run: &Run, r: usize) -> bool {
        let next = char_at(s, r);
        if !can_start_sentence(next) {
            return false;
        }
        if run.ellipsis {
            // " … " is an elision inside a sentence; "word… Next" ends one.
            return s[sent_start..run.start]
                .chars()
                .next_back()
                .is_some_and(|c| !c.is_whitespace());
        }
        if run.quote_closed && speech_follows(&s[r..]) {
            return false;
        }
        if run.single_dot {
            let word = prev_word(&s[sent_start..run.start]);
            match self.classify(word) {
                Some(Abbrev::Title) => return false,
                Some(Abbrev::Number) => return !next.is_ascii_digit(),
                Some(Abbrev::Trailing) => return is_starter(next_word(&s[r..])),
                None => {}
            }
        }
        true
    }

    /// The abbreviation class of `word` (the text before a single `.`).
    fn classify(&self, word: &str) -> Option<Abbrev> {
        if word.is_empty() {
            return None;
        }
        if let Some(&a) = self.abbrevs.get(word) {
            return Some(a);
        }
        let mut chars = word.chars();
        let first = chars.next()?;
        if chars.as_str().is_empty() {
            // A single capital initial binds to the name after it.
            return first.is_uppercase().then_some(Abbrev::Title);
        }
        if word.contains('.') {
            // Dotted abbreviation: U.S, a.m, Ph.D, U.S.A (final dot excluded).
            let dotted = word.split('.').all(|seg| {
                let n = seg.chars().count();
                (1..=3).contains(&n) && seg.chars().all(char::is_alphabetic)
            });
            return dotted.then_some(Abbrev::Trailing);
        }
        if word.len() >= 2 && word.chars().all(|c| c.is_ascii_uppercase()) {
            // All-caps text ("MR. TRUMP"): try "Mr" and "mr".
            let lower = word.to_ascii_lowercase();
            let title: String = word[..1].chars().chain(lower[1..].chars()).collect();
            return self
                .abbrevs
                .get(&title)
                .or_else(|| self.abbrevs.get(&lower))
                .copied();
        }
        None
    }
}

/// A run of terminal punctuation and the closers after it.
struct Run {
    /// Byte offset of the first terminal char.
    start: usize,
    /// Exactly one `.` and nothing else: the abbreviation rules apply.
    single_dot: bool,
    /// `…` or `..`/`...`.
    ellipsis: bool,
    /// A closing double quote followed the terminal punctuation.
    quote_closed: bool,
}

/// Whether the straight quote at byte `i` of `s` opens a quotation; returns
/// the new quotation state.
fn straight_quote_opens(s: &str, start: usize, i: usize, in_quote: bool) -> bool {
    let prev = s[start..i].chars().next_back();
    let next = s[i + 1..].chars().next();
    let open_ctx = prev
        .is_none_or(|p| p.is_whitespace() || is_opener(p) || matches!(p, '—' | '–' | '-' | '/'));
    let close_ctx = next
        .is_none_or(|n| n.is_whitespace() || (!n.is_alphanumeric() && !is_opener(n) && n != '$'));
    match (open_ctx, close_ctx) {
        (true, false) => true,
        (false, true) => false,
        _ => !in_quote,
    }
}

/// The word just before a `.`: the non-white-space run ending at the end of
/// `before`, without leading opening quotes and brackets.
fn prev_word(before: &str) -> &str {
    let w = before.rsplit(char::is_whitespace).next().unwrap_or(before);
    w.trim_start_matches(|c: char| is_opener(c) || matches!(c, '—' | '–'))
}

/// The letters at the start of `s`.
fn next_word(s: &str) -> &str {
    let end = s
        .char_indices()
        .find(|&(_, c)| !c.is_alphabetic())
        .map_or(s.len(), |(i, _)| i);
    &s[..end]
}

/// Checks the sentence invariants of the crate docs for `sentences` of
/// `text`; returns a description of the first violation. For tests.
#[doc(hidden)]
pub fn check_cover(text: &str, sentences: &[Sentence]) -> Result<(), String> {
    let mut pos = 0;
    for (k, s) in sentences.iter().enumerate() {
        let Span { start, end } = s.span;
        if start < pos || end <= start || end > text.len() {
            return Err(format!(
                "sentence {k} has bad span {start}..{end} (prev end {pos})"
            ));
        }
        if !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            return Err(format!(
                "sentence {k} span {start}..{end} not on char boundaries"
            ));
        }
        let gap = &text[pos..start];
        if !gap.chars().all(char::is_whitespace) {
            return Err(format!(
                "non-white-space text outside sentences before {k}: {gap:?}"
            ));
        }
        let t = &text[start..end];
        if t.trim() != t {
            return Err(format!("sentence {k} has surrounding white space: {t:?}"));
        }
        if k > 0 && s.paragraph < sentences[k - 1].paragraph {
            return Err(format!("sentence {k} paragraph index decreases"));
        }
        pos = end;
    }
    let tail = &text[pos..];
    if !tail.chars().all(char::is_whitespace) {
        return Err(format!(
            "non-white-space text after last sentence: {tail:?}"
        ));
    }
    Ok(())
}
