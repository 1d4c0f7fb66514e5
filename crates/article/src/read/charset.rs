//! Decoding web bytes to text: gzip unwrapping with a size cap, and the
//! character set of an HTML document (byte-order mark, then the charset the
//! transport declared, then `<meta charset>`, then UTF-8 if valid, else
//! Windows-1252), as browsers do.

use std::io::Read;

use encoding_rs::Encoding;

use crate::ReadErrorKind;

/// How many bytes at the start of a document are searched for `<meta charset>`;
/// the HTML standard asks browsers to look at the first 1024.
const META_SNIFF_BYTES: usize = 1024;

/// Whether `bytes` start with the gzip magic number.
pub(crate) fn is_gzip(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0x1f, 0x8b])
}

/// Reads all of `reader`, failing with [`ReadErrorKind::TooLarge`] past `limit`
/// bytes, so a gzip bomb or a huge record is never held whole.
pub(crate) fn read_capped(reader: impl Read, limit: u64) -> Result<Vec<u8>, ReadErrorKind> {
    let mut out = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|e| ReadErrorKind::Io(e.to_string()))?;
    let size = out.len() as u64;
    if size > limit {
        return Err(ReadErrorKind::TooLarge { size, limit });
    }
    Ok(out)
}

/// Unwraps gzip (all members) when `bytes` start with the gzip magic
/// number, keeping at most `limit` decompressed bytes; other bytes are
/// returned as they are.
pub(crate) fn gunzip_if_needed(bytes: Vec<u8>, limit: u64) -> Result<Vec<u8>, ReadErrorKind> {
    if !is_gzip(&bytes) {
        return Ok(bytes);
    }
    read_capped(flate2::read::MultiGzDecoder::new(&bytes[..]), limit).map_err(|e| match e {
        ReadErrorKind::Io(msg) => ReadErrorKind::Io(format!("bad gzip data: {msg}")),
        other => other,
    })
}

/// HTML decoded to text, and what was guessed along the way.
#[derive(Debug)]
pub(crate) struct DecodedHtml {
    /// The document as UTF-8.
    pub text: String,
    /// Set when no charset was declared and the bytes were not UTF-8, so
    /// they were read as Windows-1252 (the web's default for unlabelled pages).
    pub guessed_windows1252_at: Option<usize>,
}

/// Decodes an HTML document. `transport_charset` is the charset of an HTTP
/// `Content-Type` header, if there was one; it wins over `<meta charset>`.
pub(crate) fn decode_html(bytes: &[u8], transport_charset: Option<&str>) -> DecodedHtml {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        return DecodedHtml {
            text: text.into_owned(),
            guessed_windows1252_at: None,
        };
    }
    let declared = transport_charset
        .and_then(|label| Encoding::for_label(label.trim().as_bytes()))
        .or_else(|| meta_charset(bytes));
    if let Some(encoding) = declared {
        // A page that says it is UTF-16 but has no BOM is in practice ASCII-compatible.
        let encoding = encoding.output_encoding();
        let (text, _) = encoding.decode_without_bom_handling(bytes);
        return DecodedHtml {
            text: text.into_owned(),
            guessed_windows1252_at: None,
        };
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => DecodedHtml {
            text: s.to_string(),
            guessed_windows1252_at: None,
        },
        Err(e) => {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            DecodedHtml {
                text: text.into_owned(),
                guessed_windows1252_at: Some(e.valid_up_to()),
            }
        }
    }
}

/// The charset of a `Content-Type` value (`text/html; charset=ISO-8859-1`).
pub(crate) fn content_type_charset(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches(|c| c == '"' || c == '\''))
    })
}

/// The encoding named by `<meta charset=...>` or `<meta http-equiv=Content-Type
/// content="...; charset=...">` in the first [`META_SNIFF_BYTES`] bytes.
fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(META_SNIFF_BYTES)];
    let lower = head.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = memchr::memmem::find(&lower[from..], b"<meta") {
        let tag_start = from + at;
        let tag_end =
            memchr::memchr(b'>', &lower[tag_start..]).map_or(lower.len(), |e| tag_start + e);
        let tag = &lower[tag_start..tag_end];
        if let Some(c) = memchr::memmem::find(tag, b"charset") {
            let rest = &tag[c + "charset".len()..];
            let rest = trim_ascii_start(rest);
            if let Some(rest) = rest.strip_prefix(b"=") {
                let rest = trim_ascii_start(rest);
                let rest = rest
                    .strip_prefix(b"\"")
                    .or_else(|| rest.strip_prefix(b"'"))
                    .unwrap_or(rest);
                let end = rest
                    .iter()
                    .position(|&b| {
                        matches!(b, b'"' | b'\'' | b';' | b'/' | b'>') || b.is_ascii_whitespace()
                    })
                    .unwrap_or(rest.len());
                if let Some(enc) = Encoding::for_label(&rest[..end]) {
                    return Some(enc);
                }
            }
        }
        from = tag_end;
    }
    None
}

fn trim_ascii_start(b: &[u8]) -> &[u8] {
    let n = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
    &b[n..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_charset_is_used() {
        let page = b"<html><head><meta charset=\"iso-8859-1\"></head><body>caf\xe9</body></html>";
        let d = decode_html(page, None);
        assert!(d.text.contains("caf\u{e9}"));
        assert_eq!(d.guessed_windows1252_at, None);
        let page = b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\">\x93q\x94";
        assert!(decode_html(page, None).text.contains("\u{201C}q\u{201D}"));
    }

    #[test]
    fn transport_charset_wins_and_bom_wins_over_all() {
        let page = b"<meta charset=utf-8>caf\xe9";
        assert!(decode_html(page, Some("latin1"))
            .text
            .ends_with("caf\u{e9}"));
        let page = b"\xef\xbb\xbf<meta charset=latin1>caf\xc3\xa9";
        assert!(decode_html(page, Some("latin1"))
            .text
            .ends_with("caf\u{e9}"));
    }

    #[test]
    fn undeclared_non_utf8_is_guessed_and_reported() {
        let d = decode_html(b"<p>caf\xe9</p>", None);
        assert!(d.text.contains("caf\u{e9}"));
        assert_eq!(d.guessed_windows1252_at, Some(6));
        let d = decode_html("<p>café</p>".as_bytes(), None);
        assert_eq!(d.guessed_windows1252_at, None);
    }

    #[test]
    fn content_type_parameters() {
        assert_eq!(
            content_type_charset("text/html; charset=\"ISO-8859-1\""),
            Some("ISO-8859-1")
        );
        assert_eq!(
            content_type_charset("text/html;Charset=utf-8"),
            Some("utf-8")
        );
        assert_eq!(content_type_charset("text/html"), None);
    }

    #[test]
    fn gzip_is_unwrapped_within_the_limit() {
        use std::io::Write;
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(&[b'a'; 1000]).unwrap();
        let gz = enc.finish().unwrap();
        assert_eq!(gunzip_if_needed(gz.clone(), 1000).unwrap().len(), 1000);
        assert!(matches!(
            gunzip_if_needed(gz.clone(), 999),
            Err(ReadErrorKind::TooLarge { limit: 999, .. })
        ));
        assert!(matches!(
            gunzip_if_needed(gz[..gz.len() / 2].to_vec(), 1000),
            Err(ReadErrorKind::Io(_))
        ));
        assert_eq!(gunzip_if_needed(b"plain".to_vec(), 10).unwrap(), b"plain");
    }
}
