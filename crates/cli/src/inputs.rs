//! What `ingest` and `trace` read: files and directories through the
//! readers, and URLs through the fetcher when fetching was asked for.

use std::path::PathBuf;

use unspun_article::read::{read_paths, ReadEvent, ReadOptions};
use unspun_article::{ReadError, ReadErrorKind};
use unspun_fetch::{is_url, Fetcher};

/// The inputs of one command.
pub struct Inputs {
    /// As given on the command line: paths, or URLs.
    pub items: Vec<PathBuf>,
    /// Fetches the URLs; `None` when fetching was not asked for, and a URL
    /// is then an error naming it.
    pub fetcher: Option<Fetcher>,
}

impl Inputs {
    /// Reads the files and directories (in one walk, as given), then
    /// fetches the URLs, in order.
    pub fn read(&self, opts: &ReadOptions, emit: &mut dyn FnMut(ReadEvent)) {
        let (urls, paths): (Vec<&PathBuf>, Vec<&PathBuf>) = self
            .items
            .iter()
            .partition(|p| p.to_str().is_some_and(is_url));
        if !paths.is_empty() {
            let paths: Vec<PathBuf> = paths.into_iter().cloned().collect();
            read_paths(&paths, opts, emit);
        }
        for url in urls {
            let url_str = url.to_string_lossy();
            match &self.fetcher {
                Some(fetcher) => fetcher.read_url(&url_str, opts, emit),
                None => emit(ReadEvent::Error(ReadError::in_file(
                    url,
                    ReadErrorKind::Io(
                        "a URL: pass --fetch to fetch it (nothing is fetched unless asked)"
                            .to_string(),
                    ),
                ))),
            }
        }
    }
}
