//! Byte-level checks and decoding shared by the readers: NUL detection,
//! UTF-8 validation with line numbers, and Latin-1 / Windows-1252 decoding.

use std::borrow::Cow;

/// Where the first invalid UTF-8 byte is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Utf8Issue {
    /// Byte offset of the first invalid byte, within the decoded slice.
    pub offset: usize,
    /// 1-based line of that byte, within the decoded slice.
    pub line: usize,
}

/// The offset of the first NUL byte, if any.
pub(crate) fn find_nul(bytes: &[u8]) -> Option<usize> {
    memchr::memchr(0, bytes)
}

/// The 1-based line on which byte `offset` of `bytes` lies.
pub(crate) fn line_at(bytes: &[u8], offset: usize) -> usize {
    1 + memchr::memchr_iter(b'\n', &bytes[..offset.min(bytes.len())]).count()
}

/// Decodes `bytes` as UTF-8; if that fails and `latin1_fallback` is set,
/// as Windows-1252. Returns the text and, when the fallback was used, where
/// the first invalid UTF-8 byte was. Without the fallback, invalid UTF-8 is
/// an error carrying that position.
pub(crate) fn decode(
    bytes: &[u8],
    latin1_fallback: bool,
) -> Result<(Cow<'_, str>, Option<Utf8Issue>), Utf8Issue> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok((Cow::Borrowed(s), None)),
        Err(e) => {
            let offset = e.valid_up_to();
            let issue = Utf8Issue {
                offset,
                line: line_at(bytes, offset),
            };
            if latin1_fallback {
                Ok((Cow::Owned(windows1252(bytes)), Some(issue)))
            } else {
                Err(issue)
            }
        }
    }
}

/// Decodes Latin-1 (ISO 8859-1): every byte is the code point of that value.
pub(crate) fn latin1(bytes: &[u8]) -> String {
    if bytes.is_ascii() {
        // Fast path: ASCII is valid UTF-8 as it is.
        return String::from_utf8(bytes.to_vec()).unwrap_or_default();
    }
    bytes.iter().map(|&b| char::from(b)).collect()
}

/// Code points of Windows-1252 bytes 0x80..=0x9F; the five bytes Windows-1252
/// leaves undefined keep their Latin-1 (C1 control) meaning.
const CP1252_HIGH: [char; 32] = [
    '\u{20AC}', '\u{0081}', '\u{201A}', '\u{0192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}',
    '\u{02C6}', '\u{2030}', '\u{0160}', '\u{2039}', '\u{0152}', '\u{008D}', '\u{017D}', '\u{008F}',
    '\u{0090}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}',
    '\u{02DC}', '\u{2122}', '\u{0161}', '\u{203A}', '\u{0153}', '\u{009D}', '\u{017E}', '\u{0178}',
];

/// Decodes Windows-1252, a superset of the printable part of Latin-1.
pub(crate) fn windows1252(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9F => CP1252_HIGH[usize::from(b - 0x80)],
            _ => char::from(b),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_ok_borrows() {
        let (s, issue) = decode("héllo".as_bytes(), false).unwrap();
        assert!(matches!(s, Cow::Borrowed("héllo")));
        assert!(issue.is_none());
    }

    #[test]
    fn invalid_utf8_position() {
        let bytes = b"one\ntwo \xa3600m\n";
        assert_eq!(
            decode(bytes, false).unwrap_err(),
            Utf8Issue { offset: 8, line: 2 }
        );
        let (s, issue) = decode(bytes, true).unwrap();
        assert_eq!(s, "one\ntwo £600m\n");
        assert_eq!(issue, Some(Utf8Issue { offset: 8, line: 2 }));
    }

    #[test]
    fn cp1252_quotes_and_latin1() {
        assert_eq!(
            windows1252(b"\x93hi\x94 \x80 \xe9"),
            "\u{201C}hi\u{201D} € é"
        );
        assert_eq!(latin1(b"caf\xe9 \x93"), "café \u{93}");
        assert_eq!(latin1(b"plain"), "plain");
    }

    #[test]
    fn lines_and_nul() {
        assert_eq!(line_at(b"a\nb\nc", 0), 1);
        assert_eq!(line_at(b"a\nb\nc", 2), 2);
        assert_eq!(line_at(b"a\nb\nc", 4), 3);
        assert_eq!(find_nul(b"ab\0c"), Some(2));
        assert_eq!(find_nul(b"abc"), None);
    }
}
