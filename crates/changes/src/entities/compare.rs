//! Comparing the names of aligned sentences: the same name however written,
//! a place generalised or specified, a name replaced, dropped or added (see
//! the parent module).

use super::{is_title, Entity};
use crate::gazetteer::{Place, PlaceKind};
use crate::text::{same_name, Doc};
use crate::{Change, ChangeType, Severity};

/// Whether two names are the same name for this purpose.
fn same(a: &Entity, b: &Entity) -> bool {
    if a.key == b.key {
        return true;
    }
    match (&a.place, &b.place) {
        (Some(p), Some(q)) => {
            let class = |k: PlaceKind| {
                if k.is_country() {
                    0
                } else if k == PlaceKind::Demonym {
                    1
                } else {
                    2
                }
            };
            if p.country == q.country && class(p.kind) == class(q.kind) && class(p.kind) < 2 {
                return true;
            }
            // Kiev / Kyiv are both in the gazetteer, with one country; two
            // cities of one country are still two cities, so only spelling counts.
            a.norms.len() == b.norms.len()
                && a.norms.iter().zip(&b.norms).all(|(x, y)| same_name(x, y))
        }
        (None, None) => {
            !one_word_swapped(a, b)
                && a.norms
                    .iter()
                    .any(|x| !is_title(x) && b.norms.iter().any(|y| same_name(x, y)))
        }
        _ => {
            a.norms.len() == b.norms.len()
                && a.norms.iter().zip(&b.norms).all(|(x, y)| same_name(x, y))
        }
    }
}

/// Whether two names of several words are one name with one word swapped
/// for another ("James Webb Space Telescope" / "James Gunn Space
/// Telescope", "European Commission" / "European Parliament"): the same
/// number of words, all the same but one, and that one neither a title nor
/// a spelling variant. A shared word does not make them one name then.
fn one_word_swapped(a: &Entity, b: &Entity) -> bool {
    if a.norms.len() < 2 || a.norms.len() != b.norms.len() {
        return false;
    }
    let mut differing = a.norms.iter().zip(&b.norms).filter(|(x, y)| x != y);
    match (differing.next(), differing.next()) {
        (Some((x, y)), None) => distinct_words(x, y),
        _ => false,
    }
}

/// Whether two words of a name are different words, not one written two
/// ways: both at least three letters, neither a title, a corporate suffix
/// ("Inc", "Corp"), a spelling variant of the other ("Centre" / "Center"),
/// nor a short form of it ("Tim" / "Timothy", "Armor" / "Armored", "Kohl" /
/// "Kohls"). Initials and abbreviations ("William H." / "William
/// Rehnquist", "Wall St" / "Wall Street") are how names are shortened.
fn distinct_words(x: &str, y: &str) -> bool {
    const SUFFIXES: &[&str] = &[
        "inc",
        "corp",
        "co",
        "ltd",
        "plc",
        "llc",
        "group",
        "company",
        "corporation",
        "holdings",
    ];
    let word = |w: &str| {
        w.chars().count() >= 3
            && w.chars().all(char::is_alphabetic)
            && !is_title(w)
            && !SUFFIXES.contains(&w)
    };
    word(x)
        && word(y)
        && !same_name(x, y)
        && !crate::spelling::variants(x, y)
        && !x.starts_with(y)
        && !y.starts_with(x)
}

/// Whether `doc` names the country of place `e` in any form: the country,
/// its adjective, a place in it, or a larger country of the period it lay
/// in (or one that lay in it).
fn country_in(e: &Entity, doc: &Doc) -> bool {
    let Some(p) = &e.place else { return false };
    doc.entities
        .iter()
        .flatten()
        .any(|x| x.place.as_ref().is_some_and(|q| one_country(p, q)))
}

/// Whether two places lie in one country, or one's country lay in the
/// other's in another period ("Russian" / "Soviet").
fn one_country(p: &Place, q: &Place) -> bool {
    p.country == q.country || q.within.contains(&p.country) || p.within.contains(&q.country)
}

/// One nationality put for another: the source's demonym `y` became the
/// rewrite's `x`, as an `entity_replaced`; none when both are adjectives of
/// one country. The name comparison below and the content-word diff
/// (one word for one word in the same slot) both report it so.
pub(crate) fn nationality_replaced(d: &Doc, x: &Entity, s: &Doc, y: &Entity) -> Option<Change> {
    let (dp, sp) = (x.place.as_ref()?, y.place.as_ref()?);
    if !is_demonym(x) || !is_demonym(y) || one_country(dp, sp) {
        return None;
    }
    let (st, dt) = (y.span.text(s.text()), x.span.text(d.text()));
    Some(
        Change::new(
            ChangeType::EntityReplaced,
            Severity::Major,
            format!(
                "\"{st}\" became \"{dt}\" ({} became {})",
                sp.country_name, dp.country_name
            ),
        )
        .derived_span(d.a, x.span)
        .source_span(s.a, y.span),
    )
}

pub(crate) fn is_demonym(e: &Entity) -> bool {
    e.place
        .as_ref()
        .is_some_and(|p| p.kind == PlaceKind::Demonym)
}

fn country_of(e: &Entity) -> Option<&str> {
    e.place.as_ref().map(|p| p.country.as_str())
}

/// Compares the names of derived sentences `ds` and source sentences `ss`.
pub(crate) fn compare(d: &Doc, ds: &[usize], s: &Doc, ss: &[usize], out: &mut Vec<Change>) {
    let de: Vec<&Entity> = ds.iter().flat_map(|&i| &d.entities[i]).collect();
    let se: Vec<&Entity> = ss.iter().flat_map(|&j| &s.entities[j]).collect();
    // Set semantics: repeated mentions of one name are one name.
    let mut d_ok: Vec<bool> = de.iter().map(|x| se.iter().any(|y| same(x, y))).collect();
    let mut s_ok: Vec<bool> = se.iter().map(|y| de.iter().any(|x| same(x, y))).collect();
    // Mentions of a name the group already accounts for are fine too
    // (a second "Witkoff" in a merged sentence).
    for (k, x) in de.iter().enumerate() {
        if !d_ok[k]
            && de
                .iter()
                .enumerate()
                .any(|(m, y)| m != k && d_ok[m] && same(x, y))
        {
            d_ok[k] = true;
        }
    }
    // Places made less or more precise.
    for (j, y) in se.iter().enumerate() {
        if s_ok[j] {
            continue;
        }
        let Some(sp) = &y.place else { continue };
        let candidates = de.iter().enumerate().filter(|(_, x)| {
            x.place.as_ref().is_some_and(|dp| {
                // The same country, or (for a place made less precise) a
                // larger country of the period the place's country lay in.
                (sp.kind.is_subnational()
                    && dp.kind.is_country()
                    && (dp.country == sp.country || sp.within.contains(&dp.country)))
                    || (sp.kind.is_country()
                        && dp.kind.is_subnational()
                        && (dp.country == sp.country || dp.within.contains(&sp.country)))
            })
        });
        // Prefer a derived name nothing else explains, then one whose exact
        // words the source group does not have, then the first.
        // Last, the one nearest the source place's offset in its sentence.
        let offset = |doc: &Doc, e: &Entity| e.span.start - doc.a.sentences[e.sentence].span.start;
        let pick = candidates.min_by_key(|(k, x)| {
            (
                d_ok[*k],
                se.iter().any(|y| y.key == x.key),
                offset(d, x).abs_diff(offset(s, y)),
                *k,
            )
        });
        if let Some((k, x)) = pick {
            let dp = x.place.as_ref().unwrap();
            let (kind, severity, verb) = if sp.kind.is_subnational() {
                (ChangeType::PlaceGeneralised, Severity::Minor, "generalised")
            } else {
                (ChangeType::PlaceSpecified, Severity::Major, "specified")
            };
            let (st, dt) = (y.span.text(s.text()), x.span.text(d.text()));
            let inside_of = if sp.kind.is_subnational() {
                format!("{st} is in {}", dp.country_name)
            } else {
                format!("{dt} is in {}", sp.country_name)
            };
            out.push(
                Change::new(
                    kind,
                    severity,
                    format!("place {verb}: \"{st}\" became \"{dt}\" ({inside_of})"),
                )
                .derived_span(d.a, x.span)
                .source_span(s.a, y.span),
            );
            s_ok[j] = true;
            d_ok[k] = true;
        }
    }
    // One nationality for another ("the London Russian embassy" / "the
    // London Mexican embassy", "an American" / "a Canadian"): an adjective
    // of one country left in the source and one of another country left in
    // the rewrite, when neither article names the other's country in any
    // form. Other adjectives are never reported (below).
    let lone_demonym = |e: &Entity, other: &Doc| {
        is_demonym(e) && !e.tentative && !country_in(e, other) && !carried(e, other)
    };
    let s_nat: Vec<usize> = (0..se.len())
        .filter(|&j| !s_ok[j] && lone_demonym(se[j], d))
        .collect();
    let d_nat: Vec<usize> = (0..de.len())
        .filter(|&k| !d_ok[k] && lone_demonym(de[k], s))
        .collect();
    for (&j, &k) in s_nat.iter().zip(&d_nat) {
        // Neither country is named on the other side, so the two differ.
        out.extend(nationality_replaced(d, de[k], s, se[j]));
        s_ok[j] = true;
        d_ok[k] = true;
    }
    // A country and its adjective are one place ("Ukrainian officials" /
    // "officials of Ukraine"); adjectives themselves are never reported.
    let country_named = |e: &Entity| e.place.as_ref().is_some_and(|p| p.kind.is_country());
    let same_country =
        |x: &Entity, y: &Entity| country_of(x).is_some() && country_of(x) == country_of(y);
    for (k, x) in de.iter().enumerate() {
        if !d_ok[k]
            && (is_demonym(x)
                || (country_named(x) && se.iter().any(|y| is_demonym(y) && same_country(x, y))))
        {
            d_ok[k] = true;
        }
    }
    for (j, y) in se.iter().enumerate() {
        if !s_ok[j]
            && (is_demonym(y)
                || (country_named(y) && de.iter().any(|x| is_demonym(x) && same_country(x, y))))
        {
            s_ok[j] = true;
        }
    }
    let mut dropped: Vec<usize> = (0..se.len())
        .filter(|&j| !s_ok[j] && !se[j].tentative)
        .collect();
    // A name is added only when the source carries it nowhere, in no form:
    // a name that moved to another sentence, or that the source spells in
    // lower case, is not new (facts are accounted over the whole article).
    let mut added: Vec<usize> = (0..de.len())
        .filter(|&k| !d_ok[k] && !de[k].tentative && !carried(de[k], s))
        .collect();
    // Repeated mentions count once.
    dedup_by_key(&mut dropped, &se);
    dedup_by_key(&mut added, &de);
    // A place for a place, or the only name left for the only name left, is
    // a replacement.
    let mut replaced: Vec<(usize, usize)> = Vec::new();
    for &j in &dropped {
        if se[j].place.is_none() {
            continue;
        }
        if let Some(&k) = added
            .iter()
            .find(|&&k| de[k].place.is_some() && !replaced.iter().any(|p| p.1 == k))
        {
            replaced.push((j, k));
        }
    }
    let free_s: Vec<usize> = dropped
        .iter()
        .copied()
        .filter(|j| !replaced.iter().any(|p| p.0 == *j))
        .collect();
    let free_d: Vec<usize> = added
        .iter()
        .copied()
        .filter(|k| !replaced.iter().any(|p| p.1 == *k))
        .collect();
    // Names the rewrite still carries elsewhere may stand aside when more
    // than one is left: the one it lost is the one replaced.
    let free_s = if free_s.len() > 1 {
        free_s.into_iter().filter(|&j| !carried(se[j], d)).collect()
    } else {
        free_s
    };
    if free_s.len() == 1
        && free_d.len() == 1
        && se[free_s[0]].place.is_none() == de[free_d[0]].place.is_none()
    {
        replaced.push((free_s[0], free_d[0]));
    }
    for &(j, k) in &replaced {
        let (st, dt) = (se[j].span.text(s.text()), de[k].span.text(d.text()));
        out.push(
            Change::new(
                ChangeType::EntityReplaced,
                Severity::Major,
                format!("\"{st}\" became \"{dt}\""),
            )
            .derived_span(d.a, de[k].span)
            .source_span(s.a, se[j].span),
        );
    }
    for j in dropped {
        // Dropped only when the rewrite carries the name nowhere: a name
        // now in another sentence, or written as its initials, is kept.
        if replaced.iter().any(|p| p.0 == j) || carried(se[j], d) {
            continue;
        }
        let st = se[j].span.text(s.text());
        out.push(
            Change::new(
                ChangeType::EntityDropped,
                Severity::Minor,
                format!("\"{st}\" is not in the rewritten sentence"),
            )
            .source_span(s.a, se[j].span)
            .with_derived_sentences(ds),
        );
    }
    for k in added {
        if replaced.iter().any(|p| p.1 == k) {
            continue;
        }
        let dt = de[k].span.text(d.text());
        out.push(
            Change::new(
                ChangeType::EntityAdded,
                Severity::Minor,
                format!("\"{dt}\" is not in the source sentence"),
            )
            .derived_span(d.a, de[k].span)
            .with_source_sentences(ss),
        );
    }
}

/// Whether `other` carries the name `e` anywhere: the same name in any
/// sentence (a spelling variant, another mention of the same person), all
/// of its words in any case ("Film Festival" / "film festival"), its
/// initials ("Organisation of Petroleum Exporting Countries" / "OPEC"), or
/// the long form of initials.
pub(crate) fn carried(e: &Entity, other: &Doc) -> bool {
    if other.entities.iter().flatten().any(|x| same(e, x)) {
        return true;
    }
    let words: Vec<&str> = e
        .norms
        .iter()
        .map(|n| n.trim_end_matches("'s").trim_end_matches('’'))
        .filter(|n| !is_title(n))
        .collect();
    // Inflection and possessives: "Nazis" / "Nazi", "Peels" / "Peel's".
    let same_word = |a: &str, b: &str| a == b || a.trim_end_matches('s') == b.trim_end_matches('s');
    if words.len() == 1 && other.words.iter().any(|w| same_word(w, words[0])) {
        return true;
    }
    // Several words: in a row, in any case ("Film Festival" / "film
    // festival"), not scattered ("Bill Gates" is not "the bill ... gates").
    if words.len() > 1
        && other.a.tokens.iter().any(|toks| {
            toks.windows(words.len())
                .any(|win| win.iter().zip(&words).all(|(t, w)| same_word(&t.norm, w)))
        })
    {
        return true;
    }
    let initials = |norms: &[String]| -> String {
        norms
            .iter()
            .filter(|n| !STOP_IN_NAMES.contains(&n.as_str()))
            .filter_map(|n| n.chars().next())
            .collect()
    };
    if e.norms.len() >= 2 {
        let ini = initials(&e.norms);
        if ini.len() >= 2 && other.acronyms.contains(&ini) {
            return true;
        }
    } else if let Some(w) = e.norms.first() {
        // "European" / "Europe", "Frenchman" / "French": one word built on
        // the other.
        let derived_form = |a: &str, b: &str| {
            let base = b.trim_end_matches('e');
            base.len() >= 4
                && a.strip_prefix(base).is_some_and(|rest| {
                    matches!(
                        rest,
                        "an" | "n" | "ian" | "ean" | "ese" | "ish" | "i" | "man" | "men"
                    )
                })
        };
        if other
            .entities
            .iter()
            .flatten()
            .filter(|x| x.norms.len() == 1)
            .any(|x| derived_form(w, &x.norms[0]) || derived_form(&x.norms[0], w))
        {
            return true;
        }
        let w = w.replace('.', "");
        if acronym_in(&w, other) {
            return true;
        }
        if (2..=6).contains(&w.len())
            && other
                .entities
                .iter()
                .flatten()
                .any(|x| x.norms.len() >= 2 && initials(&x.norms) == w)
        {
            return true;
        }
    }
    false
}

/// Whether `acronym` ("fbi") is spelled out in `other`'s text by the
/// initials of consecutive capitalised words, skipping "of", "the", "and"
/// ("Federal Bureau of Investigation").
fn acronym_in(acronym: &str, other: &Doc) -> bool {
    let letters: Vec<char> = acronym.chars().collect();
    if !(2..=6).contains(&letters.len()) || !letters.iter().all(|c| c.is_alphabetic()) {
        return false;
    }
    other.a.tokens.iter().any(|toks| {
        (0..toks.len()).any(|start| {
            let mut n = 0;
            for t in &toks[start..] {
                if n == letters.len() {
                    break;
                }
                if n > 0 && STOP_IN_NAMES.contains(&t.norm.as_str()) {
                    continue;
                }
                if t.capitalized && t.norm.starts_with(letters[n]) {
                    n += 1;
                } else {
                    break;
                }
            }
            n == letters.len()
        })
    })
}

/// Words left out of an organisation's initials ("Bank of England" → "BOE"
/// keeps "of"; most acronyms drop it).
const STOP_IN_NAMES: &[&str] = &["of", "the", "and", "for", "&"];

fn dedup_by_key(idx: &mut Vec<usize>, es: &[&Entity]) {
    let mut seen: Vec<usize> = Vec::new();
    idx.retain(|&i| {
        if seen.iter().any(|&j| same(es[i], es[j])) {
            false
        } else {
            seen.push(i);
            true
        }
    });
}
