//! Places and the country they belong to.
//!
//! A rewrite that turns "Kyiv" into "Ukraine" is less precise than its
//! source; one that turns "Ukraine" into "Kyiv" claims more than its source
//! supports. Telling these from an outright replacement needs to know which
//! city lies in which country, and which names are the same country ("U.S.",
//! "US", "United States", "America"). That is all a [`Gazetteer`] knows.
//!
//! # File format
//!
//! One entry per line, tab-separated, `KIND<TAB>NAME<TAB>COUNTRY`, where
//! `KIND` is `country`, `alias` (another name of the country: `U.S.`),
//! `demonym` (`Ukrainian`), `city`, `region`, or `part`: `part<TAB>Russia<TAB>Soviet
//! Union` says a country lay within another of the corpus's period (a
//! Reuters story of 1987 that turns "Moscow" into "the Soviet Union" made
//! its place less precise, not another place). Blank lines and lines
//! starting with `#` are ignored. Names are matched after the tokeniser's
//! normalisation, so case, accents and the dots of `U.S.` do not matter.
//!
//! ```text
//! # my additions (columns separated by one tab)
//! city<TAB>Zaporizhzhia<TAB>Ukraine
//! alias<TAB>Ukr.<TAB>Ukraine
//! ```
//!
//! The built-in list (`data/gazetteer.tsv` in this crate) covers the
//! capitals and major cities of about ninety countries.

use std::collections::HashMap;
use std::path::Path;

use unspun_segment::{Analyzer, Span};

/// What kind of place a gazetteer name is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PlaceKind {
    /// A country under its canonical name.
    Country,
    /// Another name of a country (`U.S.`, `Britain`).
    Alias,
    /// The adjective or people of a country (`Ukrainian`); the same country
    /// for matching, never a place for generalisation.
    Demonym,
    /// A city in the country.
    City,
    /// A region, state or province in the country.
    Region,
    /// Not a place kind of its own: a `part` line links a country to a
    /// larger one of another period (see [`Place::within`]).
    Part,
}

impl PlaceKind {
    fn parse(s: &str) -> Option<PlaceKind> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "country" => PlaceKind::Country,
            "alias" => PlaceKind::Alias,
            "demonym" => PlaceKind::Demonym,
            "city" => PlaceKind::City,
            "region" | "state" | "province" => PlaceKind::Region,
            "part" => PlaceKind::Part,
            _ => return None,
        })
    }

    /// Whether the name denotes a whole country (canonical name or alias).
    pub fn is_country(self) -> bool {
        matches!(self, PlaceKind::Country | PlaceKind::Alias)
    }

    /// Whether the name denotes a place inside a country.
    pub fn is_subnational(self) -> bool {
        matches!(self, PlaceKind::City | PlaceKind::Region)
    }
}

/// A place as the gazetteer knows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    /// Its kind.
    pub kind: PlaceKind,
    /// The normalised key of the country it belongs to (`"united states"`).
    pub country: String,
    /// The country's name as written in the gazetteer (`"United States"`).
    pub country_name: String,
    /// The keys of larger countries of another period that the country lay
    /// within (`"soviet union"` for Russia, `"west germany"` for Germany's
    /// western cities' country): a place inside the country, written as one
    /// of these, is generalised.
    pub within: Vec<String>,
}

/// Why a gazetteer file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum GazetteerError {
    /// The file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A line is not `KIND<TAB>NAME<TAB>COUNTRY` with a known kind.
    #[error("{path}:{line}: expected KIND<TAB>NAME<TAB>COUNTRY with KIND one of country, alias, demonym, city, region, part")]
    Syntax {
        /// The file.
        path: String,
        /// The 1-based line number.
        line: usize,
    },
}

/// Names of places mapped to their country. See the [module docs](self) for
/// the file format.
#[derive(Clone, Debug, Default)]
pub struct Gazetteer {
    places: HashMap<String, Place>,
    /// `part` lines: country key → keys of the larger countries it lay in.
    parts: HashMap<String, Vec<String>>,
    /// The longest name in tokens, to bound lookups of token runs.
    max_tokens: usize,
}

const BUILTIN: &str = include_str!("../data/gazetteer.tsv");

impl Gazetteer {
    /// An empty gazetteer.
    pub fn empty() -> Gazetteer {
        Gazetteer::default()
    }

    /// The built-in list of capitals, major cities, aliases and demonyms.
    pub fn builtin() -> Gazetteer {
        Gazetteer::parse(BUILTIN, "<builtin>").expect("the built-in gazetteer parses")
    }

    /// Reads a gazetteer file (see the [module docs](self) for the format).
    pub fn from_file(path: impl AsRef<Path>) -> Result<Gazetteer, GazetteerError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| GazetteerError::Io {
            path: path.display().to_string(),
            source,
        })?;
        Gazetteer::parse(&text, &path.display().to_string())
    }

    /// Parses gazetteer text; `origin` names it in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Gazetteer, GazetteerError> {
        let analyzer = Analyzer::new();
        let mut g = Gazetteer::default();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            let syntax = || GazetteerError::Syntax {
                path: origin.to_string(),
                line: n + 1,
            };
            if cols.len() != 3 {
                return Err(syntax());
            }
            let kind = PlaceKind::parse(cols[0]).ok_or_else(syntax)?;
            let (name, country) = (key_of(&analyzer, cols[1]), key_of(&analyzer, cols[2]));
            if name.is_empty() || country.is_empty() {
                return Err(syntax());
            }
            if kind == PlaceKind::Part {
                let within = g.parts.entry(name).or_default();
                if !within.contains(&country) {
                    within.push(country);
                }
                continue;
            }
            g.insert(
                name,
                Place {
                    kind,
                    country,
                    country_name: cols[2].trim().to_string(),
                    within: Vec::new(),
                },
            );
        }
        g.link_parts();
        Ok(g)
    }

    /// Gives every place the larger countries its country lay within.
    fn link_parts(&mut self) {
        for place in self.places.values_mut() {
            place.within = self.parts.get(&place.country).cloned().unwrap_or_default();
        }
    }

    fn insert(&mut self, key: String, place: Place) {
        self.max_tokens = self.max_tokens.max(key.split(' ').count());
        self.places.insert(key, place);
    }

    /// This gazetteer with the entries of `other` added; `other` wins where
    /// both name the same place.
    pub fn merge(mut self, other: Gazetteer) -> Gazetteer {
        for (k, v) in other.places {
            self.insert(k, v);
        }
        for (k, v) in other.parts {
            let within = self.parts.entry(k).or_default();
            for c in v {
                if !within.contains(&c) {
                    within.push(c);
                }
            }
        }
        self.link_parts();
        self
    }

    /// Number of names known.
    pub fn len(&self) -> usize {
        self.places.len()
    }

    /// Whether no name is known.
    pub fn is_empty(&self) -> bool {
        self.places.is_empty()
    }

    /// Looks up a name written in any form ("Kyiv", "U.S.", "united states").
    pub fn lookup(&self, name: &str) -> Option<&Place> {
        self.places.get(&key_of(&Analyzer::new(), name))
    }

    /// Every name known, as its normalised key ("new york") and place, in
    /// no particular order.
    pub fn places(&self) -> impl Iterator<Item = (&str, &Place)> {
        self.places.iter().map(|(k, p)| (k.as_str(), p))
    }

    /// Looks up an already normalised key: token norms joined by one space.
    pub fn lookup_key(&self, key: &str) -> Option<&Place> {
        self.places.get(key)
    }

    /// The longest name in tokens.
    pub(crate) fn max_tokens(&self) -> usize {
        self.max_tokens
    }
}

/// The lookup key of a name: its token norms joined by single spaces.
pub(crate) fn key_of(analyzer: &Analyzer, name: &str) -> String {
    let name = name.trim();
    analyzer
        .tokens(name, Span::new(0, name.len()))
        .iter()
        .map(|t| t.norm.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_knows_the_seed_places() {
        let g = Gazetteer::builtin();
        assert_eq!(g.lookup("Kyiv").unwrap().country, "ukraine");
        assert_eq!(g.lookup("Kiev").unwrap().kind, PlaceKind::City);
        assert_eq!(g.lookup("Moscow").unwrap().country, "russia");
        assert_eq!(g.lookup("Washington").unwrap().country, "united states");
        for us in ["U.S.", "US", "United States", "america"] {
            let p = g.lookup(us).unwrap();
            assert!(p.kind.is_country(), "{us}");
            assert_eq!(p.country, "united states");
        }
        assert_eq!(g.lookup("Ukrainian").unwrap().kind, PlaceKind::Demonym);
        assert!(g.lookup("Trump").is_none());
    }

    #[test]
    fn part_lines_link_a_country_to_a_larger_one_of_its_period() {
        let g = Gazetteer::builtin();
        let moscow = g.lookup("Moscow").unwrap();
        assert_eq!(moscow.country, "russia");
        assert_eq!(moscow.within, ["soviet union"]);
        assert!(g.lookup("USSR").unwrap().kind.is_country());
        assert!(g.lookup("Warsaw").unwrap().within.is_empty());
        // A file's `part` lines reach the built-in places too, whichever
        // order the lines come in.
        let extra = Gazetteer::parse(
            "part\tPoland\tWarsaw Pact\ncountry\tWarsaw Pact\tWarsaw Pact\n",
            "t",
        )
        .unwrap();
        let g = g.merge(extra);
        assert_eq!(g.lookup("Warsaw").unwrap().within, ["warsaw pact"]);
    }

    #[test]
    fn file_extends_and_overrides() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("extra.tsv");
        std::fs::write(
            &path,
            "# extra\n\ncity\tBakhmut\tUkraine\ncity\tSpringfield\tUnited States\r\n",
        )
        .unwrap();
        let extra = Gazetteer::from_file(&path).unwrap();
        assert_eq!(extra.len(), 2);
        let g = Gazetteer::builtin().merge(extra);
        assert_eq!(g.lookup("springfield").unwrap().country, "united states");
        assert_eq!(
            g.lookup("Springfield").unwrap().country_name,
            "United States"
        );
    }

    #[test]
    fn bad_lines_are_reported_with_their_number() {
        let err = Gazetteer::parse("city\tKyiv\tUkraine\ntown\tX\tY\n", "f.tsv").unwrap_err();
        assert_eq!(err.to_string().split(": ").next().unwrap(), "f.tsv:2");
        assert!(Gazetteer::parse("city\tKyiv\n", "f").is_err());
        assert!(Gazetteer::from_file("/nonexistent/gaz.tsv").is_err());
    }
}
