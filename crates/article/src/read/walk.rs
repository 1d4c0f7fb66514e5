//! Walking the inputs: files and directories (recursively, in a deterministic
//! order), each file handed to the reader for its format.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::{error, io_kind, reader_for, Format, ReadEvent, ReadOptions};
use crate::ReadErrorKind;

/// Reads files and directories, in the order given, choosing the reader by
/// `opts.format`, or by extension under [`Format::Auto`]: `.txt`/`.text` →
/// text, `.jsonl`/`.ndjson` → JSON Lines, `.sgm`/`.sgml` → Reuters SGML,
/// `.html`/`.htm`/`.html.gz` → HTML, `.warc`/`.arc` (also gzipped) → WARC.
///
/// A file named explicitly is always read: under [`Format::Auto`] one with an
/// unknown extension is read as text, and with an explicit format the file is
/// read in that format whatever its extension.
///
/// Directories are walked recursively (following symbolic links), sorted by
/// file name at each level, so the order is deterministic. Inside them these
/// are reported as [`ReadEvent::SkippedFile`] and not read: hidden files and
/// directories (name starting with `.`; a hidden directory is not entered),
/// `README*` and `LICENSE*`/`LICENCE*` files (any case), files with an unknown
/// extension, and, with an explicit format, files whose extension belongs to
/// another format. Text files found in a directory get the id of their path
/// relative to that directory, without extension (`business/001`).
///
/// A path that does not exist or cannot be read is a [`ReadEvent::Error`]
/// with [`ReadErrorKind::Io`]; reading goes on with the next path.
pub fn read_paths(paths: &[PathBuf], opts: &ReadOptions, emit: &mut dyn FnMut(ReadEvent)) {
    for path in paths {
        match std::fs::metadata(path) {
            Err(e) => emit(ReadEvent::Error(error(path, None, io_kind(&e)))),
            Ok(meta) if meta.is_dir() => read_dir(path, opts, emit),
            Ok(_) => {
                let format = match opts.format {
                    Format::Auto => Format::from_path(path).unwrap_or(Format::Text),
                    explicit => explicit,
                };
                if let Some(reader) = reader_for(format) {
                    reader.read_file(path, opts, emit);
                }
            }
        }
    }
}

/// Reads every eligible file under `root`.
fn read_dir(root: &Path, opts: &ReadOptions, emit: &mut dyn FnMut(ReadEvent)) {
    let mut walker = WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    let skip = |path: &Path, reason: &str| ReadEvent::SkippedFile {
        path: path.to_path_buf(),
        reason: reason.to_string(),
    };
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e.path().unwrap_or(root);
                let kind = ReadErrorKind::Io(e.to_string());
                emit(ReadEvent::Error(error(path, None, kind)));
                continue;
            }
        };
        if entry.depth() == 0 {
            continue;
        }
        let path = entry.path();
        let name = entry.file_name().to_string_lossy();
        let file_type = entry.file_type();
        if name.starts_with('.') {
            if file_type.is_dir() {
                walker.skip_current_dir();
                emit(skip(path, "hidden directory"));
            } else {
                emit(skip(path, "hidden file"));
            }
            continue;
        }
        if file_type.is_dir() {
            continue;
        }
        if !file_type.is_file() {
            emit(skip(path, "not a regular file"));
            continue;
        }
        let lower = name.to_ascii_lowercase();
        if ["readme", "license", "licence"]
            .iter()
            .any(|p| lower.starts_with(p))
        {
            emit(skip(path, "README or LICENSE file"));
            continue;
        }
        let Some(format) = Format::from_path(path) else {
            emit(skip(path, "unknown extension"));
            continue;
        };
        if opts.format != Format::Auto && format != opts.format {
            let reason = format!("not a {} file (its extension is for {format})", opts.format);
            emit(skip(path, &reason));
            continue;
        }
        if let Some(reader) = reader_for(format) {
            reader.read_file_in_dir(path, root, opts, emit);
        }
    }
}
