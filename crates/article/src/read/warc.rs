//! WARC and ARC reader: web crawls, one article per captured HTML page,
//! streamed record by record so files of any size are read in constant memory.
//!
//! The record framing is read here rather than with the `warc` crate: that
//! crate reads a gzipped file as one stream, so it cannot name the byte
//! offset of a broken record or go on after it, and it does not read ARC.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use super::charset::{content_type_charset, decode_html, is_gzip};
use super::html::HtmlPage;
use super::{error, io_kind, parse_iso_date, ArticleReader, Format, ReadEvent, ReadOptions};
use crate::{ArticleId, Location, ReadError, ReadErrorKind};

/// The longest header block (WARC or HTTP) accepted; a longer one is not a
/// header but a broken record, and is not read into memory.
const MAX_HEADER_BYTES: usize = 256 * 1024;

/// Reads WARC (`.warc`, `.warc.gz`) and ARC (`.arc`, `.arc.gz`) files.
///
/// Only captured HTML pages become articles: WARC `response` records whose
/// HTTP status is 2xx and whose `Content-Type` is HTML, and `resource`
/// records of HTML; other records (requests, metadata, images, redirects)
/// are passed over silently. ARC records are HTTP responses and are taken
/// the same way. The HTTP message is undone: chunked transfer encoding,
/// `gzip`/`deflate` content encoding, and the charset of its `Content-Type`
/// (which wins over `<meta charset>`). The HTML then goes through the same
/// extraction as [`super::HtmlReader`]; the record's target URI is the id
/// and the fallback URL, and its capture date (`WARC-Date`, the ARC date)
/// the fallback date.
///
/// A gzipped file is read one gzip member at a time (the usual one member
/// per record). A broken record (bad header, truncated body, bad chunking,
/// bad gzip member, an HTML page without article body) is a
/// [`ReadEvent::Error`] whose [`Location::offset`] is the byte offset of
/// the record (of its gzip member in a gzipped file); reading goes on with
/// the next record, or, when the framing itself is lost in an uncompressed
/// file, stops with that error.
#[derive(Clone, Copy, Debug, Default)]
pub struct WarcReader;

impl ArticleReader for WarcReader {
    fn format(&self) -> Format {
        Format::Warc
    }

    fn read_file(&self, path: &Path, opts: &ReadOptions, emit: &mut dyn FnMut(ReadEvent)) {
        let file = match File::open(path) {
            Ok(f) => f,
            Err(e) => return emit(ReadEvent::Error(error(path, None, io_kind(&e)))),
        };
        let mut input = BufReader::with_capacity(
            64 * 1024,
            Counted {
                inner: file,
                read: 0,
            },
        );
        let mut state = ArcState::default();
        let gzipped = match input.fill_buf() {
            Ok(head) => is_gzip(head),
            Err(e) => return emit(ReadEvent::Error(error(path, None, io_kind(&e)))),
        };
        if !gzipped {
            let mut records = Records::new(&mut input, 0, false);
            records.emit_all(&mut state, path, opts, emit);
            return;
        }
        loop {
            let member_start = input.get_ref().read - input.buffer().len() as u64;
            match input.fill_buf() {
                Ok([]) => return,
                Ok(head) if !is_gzip(head) => {
                    let kind =
                        ReadErrorKind::Warc("not a gzip member where one should start".into());
                    return emit(ReadEvent::Error(at(path, member_start, kind)));
                }
                Ok(_) => {}
                Err(e) => return emit(ReadEvent::Error(at(path, member_start, io_kind(&e)))),
            }
            let mut member = BufReader::new(flate2::bufread::GzDecoder::new(&mut input));
            let mut records = Records::new(&mut member, member_start, true);
            let member_ok = records.emit_all(&mut state, path, opts, emit);
            if !member_ok {
                // The member is broken: drop what is left of it and look
                // for the next member's magic number.
                drop(member);
                if !skip_to_next_member(&mut input, member_start) {
                    return;
                }
            }
        }
    }
}

/// A [`ReadError`] at byte `offset` of `path`.
fn at(path: &Path, offset: u64, kind: ReadErrorKind) -> ReadError {
    ReadError {
        location: Location {
            path: path.to_path_buf(),
            line: None,
            offset: Some(offset),
        },
        kind,
    }
}

/// Moves `input` past the broken member that started at `member_start`, to
/// the next gzip magic number. Returns whether one was found.
fn skip_to_next_member<R: Read>(input: &mut BufReader<Counted<R>>, member_start: u64) -> bool {
    let pos = |input: &BufReader<Counted<R>>| input.get_ref().read - input.buffer().len() as u64;
    loop {
        let here = pos(input);
        let buf = match input.fill_buf() {
            Ok([]) | Err(_) => return false,
            Ok(buf) => buf,
        };
        // Never stop at the broken member's own magic number.
        let from = usize::from(here == member_start);
        let found = buf
            .windows(3)
            .skip(from)
            .position(|w| w == [0x1f, 0x8b, 0x08]);
        match found {
            Some(i) => {
                input.consume(i + from);
                return true;
            }
            // Keep the last two bytes: a magic number may straddle buffers.
            None => {
                let n = buf.len().saturating_sub(2).max(from);
                if n == 0 {
                    return false;
                }
                input.consume(n);
            }
        }
    }
}

/// A reader that counts the bytes read from it.
struct Counted<R> {
    inner: R,
    read: u64,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        Ok(n)
    }
}

/// What the ARC file header told: the version decides the record line's fields.
#[derive(Default)]
struct ArcState {
    version2: bool,
}

/// Why a record could not be read, and whether the next one can still be found.
struct RecordError {
    kind: ReadErrorKind,
    resumable: bool,
}

impl RecordError {
    fn fatal(msg: impl Into<String>) -> RecordError {
        RecordError {
            kind: ReadErrorKind::Warc(msg.into()),
            resumable: false,
        }
    }
}

/// A record worth extracting: a captured HTML page.
struct PageRecord {
    target_uri: String,
    capture_date: Option<chrono::NaiveDate>,
    /// The HTTP message, or for a WARC `resource` the document itself.
    block: Vec<u8>,
    /// Whether `block` starts with an HTTP status line and headers.
    is_http: bool,
    /// The `Content-Type` of the record, for a `resource`.
    content_type: Option<String>,
    /// The file ended inside the block: (declared, read) bytes.
    cut_short: Option<(u64, u64)>,
}

/// Reads records one after another from a (decompressed) stream.
struct Records<'a, R: BufRead> {
    input: &'a mut R,
    /// Offset in the file of the stream's first byte (a gzip member's offset).
    base: u64,
    /// Whether the stream is a decompressed gzip member, whose inner
    /// offsets are no file offsets.
    compressed: bool,
    /// Bytes read from the stream.
    consumed: u64,
    /// Where in the stream the last record met started.
    start: u64,
    /// A kept block the stream ended inside: (declared, read) bytes.
    cut_short: Option<(u64, u64)>,
}

impl<'a, R: BufRead> Records<'a, R> {
    fn new(input: &'a mut R, base: u64, compressed: bool) -> Self {
        Records {
            input,
            base,
            compressed,
            consumed: 0,
            start: 0,
            cut_short: None,
        }
    }

    /// The offset to report for the last record met: in an uncompressed file
    /// its own byte offset, in a gzipped one the offset of its gzip member.
    fn record_start(&self) -> u64 {
        if self.compressed {
            self.base
        } else {
            self.base + self.start
        }
    }

    fn read_line(&mut self, buf: &mut Vec<u8>) -> Result<usize, RecordError> {
        let n = super::read_line_capped(self.input, buf, MAX_HEADER_BYTES)
            .map_err(|e| RecordError::fatal(format!("cannot read: {e}")))?;
        match n {
            None => Ok(0),
            Some(len) => {
                self.consumed += len + 1;
                if len as usize > MAX_HEADER_BYTES {
                    return Err(RecordError::fatal(format!(
                        "a header line of {len} bytes; not a WARC or ARC record"
                    )));
                }
                if buf.last() == Some(&b'\r') {
                    buf.pop();
                }
                Ok(len as usize + 1)
            }
        }
    }

    /// Reads exactly `len` bytes, or skips them when they are over `keep`.
    fn read_block(&mut self, len: u64, keep: bool) -> Result<Vec<u8>, RecordError> {
        let mut block = Vec::new();
        let got = if keep {
            (&mut self.input).take(len).read_to_end(&mut block)
        } else {
            io::copy(&mut (&mut self.input).take(len), &mut io::sink()).map(|n| n as usize)
        }
        .map_err(|e| RecordError::fatal(format!("cannot read the record block: {e}")))?;
        self.consumed += got as u64;
        if (got as u64) < len {
            // A page cut short at the end of an uncompressed file is read as
            // far as it goes, with a warning (as warcio does). In a gzip
            // member the end of the stream is only the member's (a record
            // split across members goes on in the next), and a skipped
            // record cut short is of no use: both are errors.
            if keep && !self.compressed {
                self.cut_short = Some((len, got as u64));
                return Ok(block);
            }
            return Err(RecordError::fatal(format!(
                "truncated: the record declares {len} bytes, the file ends after {got}"
            )));
        }
        Ok(block)
    }

    /// Emits every record of the stream (articles, and errors naming their
    /// offsets). False when a broken record stopped it before its end.
    fn emit_all(
        &mut self,
        state: &mut ArcState,
        path: &Path,
        opts: &ReadOptions,
        emit: &mut dyn FnMut(ReadEvent),
    ) -> bool {
        loop {
            let result = self.next_record(state, opts);
            let offset = self.record_start();
            match result {
                Ok(None) => return true,
                Ok(Some(record)) => record.emit(path, offset, opts, emit),
                Err(RecordError { kind, resumable }) => {
                    emit(ReadEvent::Error(at(path, offset, kind)));
                    if !resumable {
                        return false;
                    }
                }
            }
        }
    }

    /// The next record: `Ok(None)` at the end, `Ok(Some(page))` for an HTML
    /// capture, and for records that hold no page the loop goes on.
    fn next_record(
        &mut self,
        arc: &mut ArcState,
        opts: &ReadOptions,
    ) -> Result<Option<PageRecord>, RecordError> {
        let mut line = Vec::new();
        loop {
            // Skip the blank lines between records.
            loop {
                self.start = self.consumed;
                if self.read_line(&mut line)? == 0 {
                    return Ok(None);
                }
                if !line.iter().all(u8::is_ascii_whitespace) {
                    break;
                }
            }
            let first = String::from_utf8_lossy(&line).into_owned();
            let page = if first.starts_with("WARC/") {
                self.warc_record(opts)?
            } else {
                self.arc_record(&first, arc, opts)?
            };
            if page.is_some() {
                return Ok(page);
            }
        }
    }

    fn warc_record(&mut self, opts: &ReadOptions) -> Result<Option<PageRecord>, RecordError> {
        let mut line = Vec::new();
        let (mut length, mut kind, mut uri, mut date, mut content_type) =
            (None, String::new(), None, None, None);
        let mut header_bytes = 0;
        loop {
            let n = self.read_line(&mut line)?;
            if n == 0 {
                return Err(RecordError::fatal(
                    "truncated: the file ends inside a WARC header",
                ));
            }
            header_bytes += n;
            if header_bytes > MAX_HEADER_BYTES {
                return Err(RecordError::fatal("a WARC header longer than 256 KiB"));
            }
            if line.is_empty() {
                break;
            }
            let text = String::from_utf8_lossy(&line);
            let Some((name, value)) = text.split_once(':') else {
                continue;
            };
            let value = value.trim();
            match name.trim().to_ascii_lowercase().as_str() {
                "content-length" => length = value.parse::<u64>().ok(),
                "warc-type" => kind = value.to_ascii_lowercase(),
                "warc-target-uri" => uri = Some(value.trim_matches(['<', '>']).to_string()),
                "warc-date" => date = parse_iso_date(value),
                "content-type" => content_type = Some(value.to_string()),
                _ => {}
            }
        }
        let Some(length) = length else {
            return Err(RecordError::fatal(
                "a WARC header without a valid Content-Length",
            ));
        };
        let wanted = match kind.as_str() {
            "response" => content_type
                .as_deref()
                .is_some_and(|c| c.to_ascii_lowercase().starts_with("application/http")),
            "resource" => content_type.as_deref().is_some_and(is_html_type),
            _ => false,
        } && uri.is_some();
        let keep = wanted && length <= opts.max_article_bytes;
        let block = self.read_block(length, keep)?;
        if wanted && !keep {
            return Err(RecordError {
                kind: ReadErrorKind::TooLarge {
                    size: length,
                    limit: opts.max_article_bytes,
                },
                resumable: true,
            });
        }
        Ok(wanted.then(|| PageRecord {
            target_uri: uri.unwrap_or_default(),
            capture_date: date,
            block,
            is_http: kind == "response",
            content_type,
            cut_short: self.cut_short.take(),
        }))
    }

    fn arc_record(
        &mut self,
        first: &str,
        arc: &mut ArcState,
        opts: &ReadOptions,
    ) -> Result<Option<PageRecord>, RecordError> {
        // URL IP-address Archive-date Content-type Archive-length (version 1),
        // and five more fields before the length in version 2; the URL may
        // hold spaces, so fields are taken from the right.
        let fields: Vec<&str> = first.split_whitespace().collect();
        let tail = if arc.version2 { 9 } else { 4 };
        if fields.len() < tail + 1 {
            return Err(RecordError::fatal(format!(
                "neither a WARC nor an ARC record header: {:?}",
                first.chars().take(80).collect::<String>()
            )));
        }
        let url = fields[..fields.len() - tail].join(" ");
        let date_field = fields[fields.len() - tail + 1];
        let content_type = fields[fields.len() - tail + 2];
        let Ok(length) = fields[fields.len() - 1].parse::<u64>() else {
            return Err(RecordError::fatal(format!(
                "an ARC record header with a bad length: {:?}",
                fields[fields.len() - 1]
            )));
        };
        if url.starts_with("filedesc://") {
            let block = self.read_block(length, length <= MAX_HEADER_BYTES as u64)?;
            self.cut_short = None;
            arc.version2 = block.starts_with(b"2 ");
            return Ok(None);
        }
        let wanted = is_html_type(content_type);
        let keep = wanted && length <= opts.max_article_bytes;
        let block = self.read_block(length, keep)?;
        if wanted && !keep {
            return Err(RecordError {
                kind: ReadErrorKind::TooLarge {
                    size: length,
                    limit: opts.max_article_bytes,
                },
                resumable: true,
            });
        }
        let capture_date = date_field
            .get(..8)
            .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y%m%d").ok());
        Ok(wanted.then(|| PageRecord {
            target_uri: url,
            capture_date,
            block,
            is_http: true,
            content_type: Some(content_type.to_string()),
            cut_short: self.cut_short.take(),
        }))
    }
}

impl PageRecord {
    /// Extracts the page and emits the article, or the error naming the record.
    fn emit(self, path: &Path, offset: u64, opts: &ReadOptions, emit: &mut dyn FnMut(ReadEvent)) {
        let fail = |kind| ReadEvent::Error(at(path, offset, kind));
        let id = match ArticleId::new(self.target_uri.trim()) {
            Ok(id) => id,
            Err(e) => {
                return emit(fail(ReadErrorKind::InvalidId(format!(
                    "{e} ({:?})",
                    self.target_uri
                ))))
            }
        };
        if let Some((declared, read)) = self.cut_short {
            emit(ReadEvent::Warning(at(
                path,
                offset,
                ReadErrorKind::Warc(format!(
                    "truncated: the record declares {declared} bytes, the file ends after \
                     {read}; the page is read as far as it goes"
                )),
            )));
        }
        let (payload, charset) = if self.is_http {
            match http_payload(&self.block, opts.max_article_bytes) {
                Ok(Some(p)) => p,
                Ok(None) => return,
                Err(kind) => return emit(fail(kind)),
            }
        } else {
            let charset = self
                .content_type
                .as_deref()
                .and_then(content_type_charset)
                .map(str::to_string);
            (self.block, charset)
        };
        let decoded = decode_html(&payload, charset.as_deref());
        let mut page = match HtmlPage::extract(&decoded.text, Some(&self.target_uri)) {
            Ok(page) => page,
            Err(kind) => return emit(fail(kind)),
        };
        if page.date.is_none() {
            page.date = self.capture_date;
        }
        let location = Location {
            path: path.to_path_buf(),
            line: None,
            offset: Some(offset),
        };
        let (mut article, warnings) = page.into_article(id);
        article.extraction = article
            .extraction
            .map(|page| super::extraction::within(&super::extraction::warc_record(offset), &page));
        if article.url.as_deref() != Some(self.target_uri.as_str()) {
            article.fetched_url = Some(self.target_uri.clone());
        }
        for kind in warnings {
            emit(ReadEvent::Warning(ReadError {
                location: location.clone(),
                kind,
            }));
        }
        emit(ReadEvent::Article { article, location });
    }
}

fn is_html_type(content_type: &str) -> bool {
    let mime = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    mime == "text/html" || mime == "application/xhtml+xml"
}

/// An HTTP payload, decoded from its transfer and content encodings, and
/// the charset its `Content-Type` names.
type Payload = (Vec<u8>, Option<String>);

/// The HTML payload of an HTTP response and the charset its headers name;
/// `Ok(None)` when the response is not a 2xx HTML page (a redirect, an image).
fn http_payload(message: &[u8], limit: u64) -> Result<Option<Payload>, ReadErrorKind> {
    let bad = |m: &str| ReadErrorKind::Warc(m.to_string());
    let head_end = memchr::memmem::find(message, b"\r\n\r\n")
        .map(|i| (i, i + 4))
        .or_else(|| memchr::memmem::find(message, b"\n\n").map(|i| (i, i + 2)))
        .ok_or_else(|| bad("an HTTP response without the blank line ending its headers"))?;
    let head = String::from_utf8_lossy(&message[..head_end.0]);
    let mut lines = head.lines();
    let status_line = lines.next().unwrap_or("");
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse::<u16>().ok());
    let Some(status) = status.filter(|_| status_line.starts_with("HTTP/")) else {
        return Err(bad(&format!(
            "not an HTTP status line: {:?}",
            status_line.chars().take(80).collect::<String>()
        )));
    };
    let (mut content_type, mut chunked, mut encoding) = (None, false, None);
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "content-type" => content_type = Some(value.to_string()),
            "transfer-encoding" => chunked = value.to_ascii_lowercase().contains("chunked"),
            "content-encoding" => encoding = Some(value.to_ascii_lowercase()),
            _ => {}
        }
    }
    if !(200..300).contains(&status) || !content_type.as_deref().is_some_and(is_html_type) {
        return Ok(None);
    }
    let body = &message[head_end.1..];
    let body = if chunked {
        dechunk(body)?
    } else {
        body.to_vec()
    };
    let body = match encoding.as_deref() {
        None | Some("identity") | Some("") => body,
        Some("gzip") | Some("x-gzip") => {
            super::charset::read_capped(flate2::read::MultiGzDecoder::new(&body[..]), limit)
                .map_err(|e| bad(&format!("bad gzip content encoding: {e}")))?
        }
        Some("deflate") => {
            // Servers send zlib-wrapped or raw deflate under this name.
            super::charset::read_capped(flate2::read::ZlibDecoder::new(&body[..]), limit)
                .or_else(|_| {
                    super::charset::read_capped(flate2::read::DeflateDecoder::new(&body[..]), limit)
                })
                .map_err(|e| bad(&format!("bad deflate content encoding: {e}")))?
        }
        Some(other) => return Err(bad(&format!("unsupported content encoding {other:?}"))),
    };
    let charset = content_type
        .as_deref()
        .and_then(content_type_charset)
        .map(str::to_string);
    Ok(Some((body, charset)))
}

/// Undoes chunked transfer encoding.
fn dechunk(mut body: &[u8]) -> Result<Vec<u8>, ReadErrorKind> {
    let bad = |m: String| ReadErrorKind::Warc(format!("bad chunked encoding: {m}"));
    let mut out = Vec::with_capacity(body.len());
    loop {
        let eol = memchr::memchr(b'\n', body).ok_or_else(|| bad("no chunk size line".into()))?;
        let size_line = String::from_utf8_lossy(&body[..eol]);
        let size_text = size_line.split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size_text, 16)
            .map_err(|_| bad(format!("chunk size {size_text:?} is not hexadecimal")))?;
        body = &body[eol + 1..];
        if size == 0 {
            return Ok(out);
        }
        if body.len() < size {
            return Err(bad(format!(
                "a chunk of {size} bytes with only {} left",
                body.len()
            )));
        }
        out.extend_from_slice(&body[..size]);
        body = &body[size..];
        body = body
            .strip_prefix(b"\r\n")
            .or_else(|| body.strip_prefix(b"\n"))
            .ok_or_else(|| bad("a chunk not followed by a line break".into()))?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunked_bodies() {
        assert_eq!(
            dechunk(b"4\r\nWiki\r\n5;x=y\r\npedia\r\n0\r\n\r\n").unwrap(),
            b"Wikipedia"
        );
        assert!(dechunk(b"4\r\nWikipedia\r\n0\r\n\r\n").is_err());
        assert!(dechunk(b"zz\r\nWiki\r\n").is_err());
        assert!(dechunk(b"10\r\nshort").is_err());
    }

    #[test]
    fn http_responses() {
        let ok = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=ISO-8859-1\r\n\r\n<p>hi</p>";
        let (body, charset) = http_payload(ok, 1000).unwrap().unwrap();
        assert_eq!(body, b"<p>hi</p>");
        assert_eq!(charset.as_deref(), Some("ISO-8859-1"));
        let redirect = b"HTTP/1.1 301 Moved\r\nContent-Type: text/html\r\n\r\n";
        assert!(http_payload(redirect, 1000).unwrap().is_none());
        let image = b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG";
        assert!(http_payload(image, 1000).unwrap().is_none());
        assert!(http_payload(b"garbage\r\n\r\n", 1000).is_err());
        assert!(http_payload(b"HTTP/1.1 200 OK\r\nContent-Type: text/html", 1000).is_err());

        use std::io::Write;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(b"<p>zipped</p>").unwrap();
        let mut msg =
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n"
                .to_vec();
        msg.extend(gz.finish().unwrap());
        assert_eq!(
            http_payload(&msg, 1000).unwrap().unwrap().0,
            b"<p>zipped</p>"
        );
        let cut = msg.len() - 10;
        assert!(http_payload(&msg[..cut], 1000).is_err());
    }
}
