//! A reader of the WordNet 3.0 database (the `index.*`, `data.*` and `*.exc`
//! files of Princeton's WNDB format, as Debian's `wordnet-base` ships them;
//! `scripts/setup.sh` puts them in `models/wordnet/`).
//!
//! Only what the content-change detector asks is kept: each lemma's synsets
//! in WordNet's sense order (most frequent first), each synset's words, its
//! lexicographer file (the semantic class: `noun.time`, `noun.person`, ...),
//! its hypernyms, its "similar to" links (adjective clusters) and its
//! antonyms, which WordNet records between words, not synsets. Lemmas are
//! found with WordNet's own morphology ("morphy", `morphy(7WN)`): the
//! exception lists first, then the suffix rules of each part of speech.
//!
//! The format (`wndb(5WN)`): a data line is `offset lex_filenum ss_type
//! w_cnt word lex_id ... p_cnt [ptr_symbol offset pos source/target]... |
//! gloss`, with `w_cnt` and `source/target` in hexadecimal; an index line is
//! `lemma pos synset_cnt p_cnt [ptr_symbol...] sense_cnt tagsense_cnt
//! offset...`. Lines starting with a space are the licence header.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

/// A part of speech.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Pos {
    /// Nouns (`n`).
    Noun,
    /// Verbs (`v`).
    Verb,
    /// Adjectives, satellites included (`a`, `s`).
    Adj,
    /// Adverbs (`r`).
    Adv,
}

impl Pos {
    /// Every part of speech.
    pub const ALL: [Pos; 4] = [Pos::Noun, Pos::Verb, Pos::Adj, Pos::Adv];

    fn file(self) -> &'static str {
        match self {
            Pos::Noun => "noun",
            Pos::Verb => "verb",
            Pos::Adj => "adj",
            Pos::Adv => "adv",
        }
    }

    fn of_char(c: &str) -> Option<Pos> {
        match c {
            "n" => Some(Pos::Noun),
            "v" => Some(Pos::Verb),
            "a" | "s" => Some(Pos::Adj),
            "r" => Some(Pos::Adv),
            _ => None,
        }
    }

    fn idx(self) -> usize {
        self as usize
    }
}

/// A synset's id in a [`WordNet`].
pub type SynsetId = u32;

/// One synset: a set of synonyms with its relations.
#[derive(Clone, Debug, Default)]
pub struct Synset {
    /// The words, lower case, multi-word lemmas with `_` ("vice_president").
    pub words: Vec<String>,
    /// The lexicographer file number: the semantic class (`lexnames(5WN)`:
    /// 18 `noun.person`, 28 `noun.time`, ...).
    pub lexfile: u8,
    /// Hypernyms (`@`) and instance hypernyms (`@i`).
    pub hypernyms: Vec<SynsetId>,
    /// Adjective clusters: satellites and their head (`&`).
    pub similar: Vec<SynsetId>,
    /// Antonyms (`!`): (this synset's word index, the other synset, its word
    /// index), word indices from 0.
    pub antonyms: Vec<(u8, SynsetId, u8)>,
}

/// Why a WordNet database could not be read.
#[derive(Debug, thiserror::Error)]
pub enum WordNetError {
    /// A file is missing or unreadable.
    #[error("WordNet: cannot read {}: {source} (run scripts/setup.sh, which puts WordNet in models/wordnet)", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// A line does not follow the format.
    #[error("WordNet: {}:{line}: not a WNDB line", path.display())]
    Format {
        /// The file.
        path: PathBuf,
        /// The line number, from 1.
        line: usize,
    },
}

/// The WordNet database, in memory (about 120k synsets).
#[derive(Default)]
pub struct WordNet {
    synsets: Vec<Synset>,
    /// Per part of speech: lemma → synsets in sense order.
    index: [HashMap<String, Vec<SynsetId>>; 4],
    /// Per part of speech: inflected form → base forms (`*.exc`).
    exceptions: [HashMap<String, Vec<String>>; 4],
}

/// Morphy's suffix rules per part of speech (`morphy(7WN)`).
const NOUN_RULES: &[(&str, &str)] = &[
    ("s", ""),
    ("ses", "s"),
    ("xes", "x"),
    ("zes", "z"),
    ("ches", "ch"),
    ("shes", "sh"),
    ("men", "man"),
    ("ies", "y"),
];
const VERB_RULES: &[(&str, &str)] = &[
    ("s", ""),
    ("ies", "y"),
    ("es", "e"),
    ("es", ""),
    ("ed", "e"),
    ("ed", ""),
    ("ing", "e"),
    ("ing", ""),
];
const ADJ_RULES: &[(&str, &str)] = &[("er", ""), ("est", ""), ("er", "e"), ("est", "e")];

fn read(path: &Path) -> Result<String, WordNetError> {
    std::fs::read_to_string(path).map_err(|source| WordNetError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// A data file's word as a lemma: lower case, without an adjective's
/// syntactic marker (`"galore(ip)"` → `"galore"`).
fn clean(word: &str) -> String {
    let w = word.split('(').next().unwrap_or(word);
    w.to_lowercase()
}

impl std::fmt::Debug for WordNet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "WordNet({} synsets)", self.synsets.len())
    }
}

/// Where WordNet is looked for by default: `$UNSPUN_MODELS/wordnet`, else
/// `models/wordnet` (relative to the working directory), as for the
/// embedding models.
pub fn default_dir() -> PathBuf {
    match std::env::var_os("UNSPUN_MODELS") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir).join("wordnet"),
        _ => PathBuf::from("models").join("wordnet"),
    }
}

/// The WordNet of [`default_dir`], read once per process; `None` when it is
/// missing (the content-word detector is then off; `unspun trace` says so).
pub fn shared() -> Option<Arc<WordNet>> {
    shared_in(&default_dir()).ok()
}

/// The WordNet in `dir`, read once per process and folder (a trace, the
/// engine's default detector and the CLI's share one copy).
pub fn shared_in(dir: &Path) -> Result<Arc<WordNet>, WordNetError> {
    static CACHE: OnceLock<Mutex<HashMap<PathBuf, Arc<WordNet>>>> = OnceLock::new();
    let key = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let cache = CACHE.get_or_init(Mutex::default);
    let mut map = cache.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(wn) = map.get(&key) {
        return Ok(wn.clone());
    }
    let wn = Arc::new(WordNet::open(dir)?);
    map.insert(key, wn.clone());
    Ok(wn)
}

impl WordNet {
    /// Reads the database in `dir` (the folder holding `data.noun`,
    /// `index.noun`, `noun.exc`, ...).
    pub fn open(dir: &Path) -> Result<WordNet, WordNetError> {
        let mut wn = WordNet::default();
        // Pointers name (part of speech, byte offset); resolved once every
        // data file is read.
        let mut at: HashMap<(usize, u32), SynsetId> = HashMap::new();
        type Pending = (SynsetId, char, usize, u32, u8, u8);
        let mut pending: Vec<Pending> = Vec::new();
        for pos in Pos::ALL {
            let path = dir.join(format!("data.{}", pos.file()));
            let text = read(&path)?;
            for (n, line) in text.lines().enumerate() {
                if line.starts_with(' ') || line.is_empty() {
                    continue;
                }
                let bad = || WordNetError::Format {
                    path: path.clone(),
                    line: n + 1,
                };
                let head = line.split(" | ").next().unwrap_or(line);
                let f: Vec<&str> = head.split_ascii_whitespace().collect();
                let num = |i: usize| f.get(i).and_then(|x| x.parse::<u32>().ok());
                let offset = num(0).ok_or_else(bad)?;
                let lexfile = num(1).ok_or_else(bad)? as u8;
                let w_cnt = f
                    .get(3)
                    .and_then(|x| usize::from_str_radix(x, 16).ok())
                    .ok_or_else(bad)?;
                let words: Vec<String> = (0..w_cnt)
                    .map(|k| f.get(4 + 2 * k).map(|w| clean(w)).ok_or_else(bad))
                    .collect::<Result<_, _>>()?;
                let p = 4 + 2 * w_cnt;
                let p_cnt = num(p).ok_or_else(bad)? as usize;
                let id = wn.synsets.len() as SynsetId;
                at.insert((pos.idx(), offset), id);
                for k in 0..p_cnt {
                    let q = p + 1 + 4 * k;
                    let (Some(sym), Some(target), Some(tpos), Some(st)) = (
                        f.get(q),
                        f.get(q + 1).and_then(|x| x.parse::<u32>().ok()),
                        f.get(q + 2).and_then(|x| Pos::of_char(x)),
                        f.get(q + 3).and_then(|x| u16::from_str_radix(x, 16).ok()),
                    ) else {
                        return Err(bad());
                    };
                    let kind = match *sym {
                        "@" | "@i" => '@',
                        "&" => '&',
                        "!" => '!',
                        _ => continue,
                    };
                    // source/target: two hex digits each, word numbers from 1.
                    let (src, tgt) = ((st >> 8) as u8, (st & 0xff) as u8);
                    pending.push((
                        id,
                        kind,
                        tpos.idx(),
                        target,
                        src.saturating_sub(1),
                        tgt.saturating_sub(1),
                    ));
                }
                wn.synsets.push(Synset {
                    words,
                    lexfile,
                    ..Synset::default()
                });
            }
            let path = dir.join(format!("index.{}", pos.file()));
            let text = read(&path)?;
            for (n, line) in text.lines().enumerate() {
                if line.starts_with(' ') || line.is_empty() {
                    continue;
                }
                let f: Vec<&str> = line.split_ascii_whitespace().collect();
                let bad = || WordNetError::Format {
                    path: path.clone(),
                    line: n + 1,
                };
                let synset_cnt: usize = f.get(2).and_then(|x| x.parse().ok()).ok_or_else(bad)?;
                let offsets: Vec<u32> = f[f.len().saturating_sub(synset_cnt)..]
                    .iter()
                    .map(|x| x.parse::<u32>().map_err(|_| bad()))
                    .collect::<Result<_, _>>()?;
                let ids: Vec<SynsetId> = offsets
                    .iter()
                    .filter_map(|o| at.get(&(pos.idx(), *o)).copied())
                    .collect();
                wn.index[pos.idx()].insert(f[0].to_string(), ids);
            }
            let path = dir.join(format!("{}.exc", pos.file()));
            let text = read(&path)?;
            for line in text.lines() {
                let mut f = line.split_ascii_whitespace();
                if let Some(form) = f.next() {
                    wn.exceptions[pos.idx()]
                        .entry(form.to_string())
                        .or_default()
                        .extend(f.map(str::to_string));
                }
            }
        }
        for (id, kind, tpos, target, src, tgt) in pending {
            let Some(&t) = at.get(&(tpos, target)) else {
                continue;
            };
            let s = &mut wn.synsets[id as usize];
            match kind {
                '@' => s.hypernyms.push(t),
                '&' => s.similar.push(t),
                _ => s.antonyms.push((src, t, tgt)),
            }
        }
        Ok(wn)
    }

    /// The synset `id`.
    pub fn synset(&self, id: SynsetId) -> &Synset {
        &self.synsets[id as usize]
    }

    /// The synsets of `lemma` as `pos`, most frequent sense first (empty
    /// when WordNet does not know it).
    pub fn synsets(&self, lemma: &str, pos: Pos) -> &[SynsetId] {
        self.index[pos.idx()]
            .get(lemma)
            .map_or(&[][..], Vec::as_slice)
    }

    /// The base forms of `word` (lower case) as `pos` that WordNet knows,
    /// by morphy: the exception list, the word itself, then the suffix
    /// rules ("geese" → "goose", "rose" → "rise" and "rose", "talks" →
    /// "talk").
    pub fn lemmas(&self, word: &str, pos: Pos) -> Vec<String> {
        let word = word.to_lowercase().replace(['-', ' '], "_");
        let mut out: Vec<String> = Vec::new();
        let add = |w: &str, out: &mut Vec<String>| {
            if !out.iter().any(|o| o == w) && self.index[pos.idx()].contains_key(w) {
                out.push(w.to_string());
            }
        };
        if let Some(bases) = self.exceptions[pos.idx()].get(&word) {
            for b in bases {
                add(b, &mut out);
            }
        }
        add(&word, &mut out);
        let rules = match pos {
            Pos::Noun => NOUN_RULES,
            Pos::Verb => VERB_RULES,
            Pos::Adj => ADJ_RULES,
            Pos::Adv => &[],
        };
        for (suffix, ending) in rules {
            if let Some(stem) = word.strip_suffix(suffix) {
                if !stem.is_empty() {
                    add(&format!("{stem}{ending}"), &mut out);
                }
            }
        }
        out
    }

    /// The synsets of `word` in any inflection as `pos`, most frequent
    /// sense of the first lemma first.
    pub fn senses(&self, word: &str, pos: Pos) -> Vec<SynsetId> {
        let mut out: Vec<SynsetId> = Vec::new();
        for l in self.lemmas(word, pos) {
            for &s in self.synsets(&l, pos) {
                if !out.contains(&s) {
                    out.push(s);
                }
            }
        }
        out
    }

    /// The base forms WordNet's exception list gives for `word` as `pos`
    /// ("fell" → "fall", "geese" → "goose").
    pub fn exceptions(&self, word: &str, pos: Pos) -> &[String] {
        self.exceptions[pos.idx()]
            .get(word)
            .map_or(&[][..], Vec::as_slice)
    }

    /// Whether WordNet knows `word` in any part of speech.
    pub fn knows(&self, word: &str) -> bool {
        Pos::ALL.iter().any(|&p| !self.lemmas(word, p).is_empty())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The repository's WordNet (`$UNSPUN_MODELS/wordnet`, else
    /// `<repo>/models/wordnet`). Missing, the tests fail, as the project's
    /// tests do without their data: `scripts/test.sh` runs setup first.
    pub(crate) fn wordnet() -> Arc<WordNet> {
        static WN: OnceLock<Arc<WordNet>> = OnceLock::new();
        let wn = WN.get_or_init(|| {
            let dir = match std::env::var_os("UNSPUN_MODELS") {
                Some(_) => default_dir(),
                None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/wordnet"),
            };
            Arc::new(WordNet::open(&dir).unwrap_or_else(|e| panic!("{e}")))
        });
        wn.clone()
    }

    #[test]
    fn morphy_finds_lemmas() {
        let wn = wordnet();
        assert_eq!(wn.lemmas("geese", Pos::Noun), vec!["goose"]);
        assert!(wn.lemmas("rose", Pos::Verb).contains(&"rise".to_string()));
        assert_eq!(wn.lemmas("talks", Pos::Noun), vec!["talks", "talk"]);
        assert!(wn
            .lemmas("approved", Pos::Verb)
            .contains(&"approve".to_string()));
        assert!(wn.lemmas("xqzv", Pos::Noun).is_empty());
    }

    #[test]
    fn synsets_words_and_relations() {
        let wn = wordnet();
        let year = wn.synsets("year", Pos::Noun)[0];
        assert!(wn.synset(year).words.contains(&"twelvemonth".to_string()));
        assert_eq!(wn.synset(year).lexfile, 28); // noun.time
        let month = wn.synsets("month", Pos::Noun)[0];
        // Sisters: both are time periods.
        assert!(wn
            .synset(year)
            .hypernyms
            .iter()
            .any(|h| wn.synset(month).hypernyms.contains(h)));
        // "rise" has "fall" as an antonym.
        let fall = wn.senses("fall", Pos::Verb);
        assert!(wn.senses("rise", Pos::Verb).iter().any(|&s| wn
            .synset(s)
            .antonyms
            .iter()
            .any(|a| fall.contains(&a.1))));
    }

    #[test]
    fn a_missing_database_names_the_folder_and_the_fix() {
        let e = WordNet::open(Path::new("/nonexistent/wordnet")).unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains("/nonexistent/wordnet/data.noun"), "{msg}");
        assert!(msg.contains("scripts/setup.sh"), "{msg}");
    }
}
