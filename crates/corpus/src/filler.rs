//! Filler ("unrelated") text: an order-2 word Markov chain trained on the
//! base sentences, one chain per base source so that filler reads like
//! either BBC or Reuters copy, with a novelty filter.
//!
//! A plain Markov chain over a small corpus copies long runs of its
//! training text, which would make filler articles look derived. So every
//! word 5-gram of the base articles goes into a Bloom filter, and a word is
//! accepted only if no 5-gram it completes is in the filter (words are cut
//! into lower-case letter and digit runs first, a finer cut than the
//! `unspun-segment` tokens, so a novel 5-gram here is novel there too). When
//! every continuation is refused the chain backs off to order 1, and then
//! ends or restarts the sentence. A false positive of the filter only
//! refuses a harmless word.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use chrono::NaiveDate;
use rand::Rng;
use unspun_article::Article;
use xxhash_rust::xxh3::xxh3_64;

use crate::doc::{Doc, Sent};

/// A fast non-cryptographic hasher for integer keys (FxHash).
#[derive(Default, Clone, Copy)]
pub(crate) struct Fx(u64);

impl Hasher for Fx {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }
}

pub(crate) type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;

const START: u32 = 0;
const END: u32 = 1;

/// A blocked Bloom filter of 5-gram hashes: both probe bits of a key lie
/// in the same 64-bit word, so a lookup costs one cache miss.
struct Bloom {
    words: Vec<u64>,
    mask: u64,
}

impl Bloom {
    /// A filter of `2^log2_bits` bits.
    fn new(log2_bits: u32) -> Bloom {
        let n = 1usize << (log2_bits - 6);
        Bloom {
            words: vec![0; n],
            mask: (n - 1) as u64,
        }
    }
    fn probe(&self, h: u64) -> (usize, u64) {
        let word = (h & self.mask) as usize;
        let bits = (1u64 << ((h >> 40) & 63)) | (1u64 << ((h >> 52) & 63));
        (word, bits)
    }
    fn insert(&mut self, h: u64) {
        let (w, b) = self.probe(h);
        self.words[w] |= b;
    }
    fn contains(&self, h: u64) -> bool {
        let (w, b) = self.probe(h);
        self.words[w] & b == b
    }
}

/// The most letter/digit runs a vocabulary word may have (`1,234,567` has
/// three); sentences with longer tokens are not learnt.
const MAX_PIECES: usize = 4;

/// The piece hashes of one vocabulary word, inline.
#[derive(Clone, Copy, Default)]
struct Pieces {
    n: u8,
    h: [u64; MAX_PIECES],
}

/// Hashes of the lower-case letter/digit runs of `word`, in order.
fn pieces(word: &str, out: &mut Vec<u64>) {
    let mut buf = String::new();
    for c in word.chars() {
        if c.is_alphanumeric() {
            buf.extend(c.to_lowercase());
        } else if !buf.is_empty() {
            out.push(xxh3_64(buf.as_bytes()));
            buf.clear();
        }
    }
    if !buf.is_empty() {
        out.push(xxh3_64(buf.as_bytes()));
    }
}

/// The hash of a 5-gram of piece hashes.
fn gram(w: &[u64; 5]) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    for &p in w {
        h = (h ^ p).wrapping_mul(0x0100_0000_01b3).rotate_left(23);
    }
    h
}

/// The last four pieces of the text generated so far.
#[derive(Clone, Copy, Default)]
pub(crate) struct Window {
    last: [u64; 4],
    n: usize,
}

impl Window {
    fn push(&mut self, p: u64) -> Option<u64> {
        let g = (self.n >= 4)
            .then(|| gram(&[self.last[0], self.last[1], self.last[2], self.last[3], p]));
        self.last = [self.last[1], self.last[2], self.last[3], p];
        self.n += 1;
        g
    }
}

/// A range of a chain's step list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Span32 {
    start: u32,
    len: u32,
}

/// One possible next word, with the range of the steps that may follow it
/// (its order-2 context), so that walking the chain needs no hash lookup.
#[derive(Clone, Copy, Debug)]
struct Step {
    word: u32,
    /// Number of letter/digit runs of the word (see [`Pieces`]).
    pieces: u32,
    next: Span32,
    /// The hash of the word's first run, inline: most words have one run,
    /// and this saves a cache miss per candidate.
    first: u64,
}

/// One chain: the transitions learnt from the sentences of one source.
struct Chain {
    /// The steps of the context (start, start): first words of sentences.
    start: Span32,
    /// Order-2 steps, grouped by context.
    next2: Vec<Step>,
    /// Order-1 steps by previous word id (a range of `next1`).
    order1: Vec<Span32>,
    next1: Vec<Step>,
    /// Dates of the source's articles, for filler dates.
    dates: Vec<NaiveDate>,
    /// Headlines in capitals (Reuters style).
    caps_titles: bool,
}

impl Chain {
    /// Builds the chain from (context key, next word) pairs.
    fn build(
        mut pairs: Vec<(u64, u32)>,
        pieces: &[Pieces],
        dates: Vec<NaiveDate>,
        caps: bool,
    ) -> Chain {
        let vocab = pieces.len();
        pairs.sort_unstable();
        let (order2, words2) = group(pairs.iter().copied());
        let span = |m: &FxMap<u64, (u32, u32)>, k: u64| {
            m.get(&k)
                .map_or(Span32::default(), |&(start, len)| Span32 { start, len })
        };
        let step = |b: u32, t: u32| Step {
            word: t,
            pieces: u32::from(pieces[t as usize].n),
            first: pieces[t as usize].h[0],
            next: if t == END {
                Span32::default()
            } else {
                span(&order2, key(b, t))
            },
        };
        let next2: Vec<Step> = pairs.iter().map(|&(k, t)| step(k as u32, t)).collect();
        debug_assert_eq!(words2.len(), next2.len());
        let mut p1: Vec<(u32, u32)> = pairs.iter().map(|&(k, t)| (k as u32, t)).collect();
        p1.sort_unstable();
        let mut order1 = vec![Span32::default(); vocab];
        for (i, &(b, _)) in p1.iter().enumerate() {
            let e = &mut order1[b as usize];
            if e.len == 0 {
                e.start = i as u32;
            }
            e.len += 1;
        }
        let next1 = p1.iter().map(|&(b, t)| step(b, t)).collect();
        Chain {
            start: span(&order2, key(START, START)),
            next2,
            order1,
            next1,
            dates,
            caps_titles: caps,
        }
    }

    fn steps2(&self, s: Span32) -> &[Step] {
        &self.next2[s.start as usize..(s.start + s.len) as usize]
    }

    fn steps1(&self, word: u32) -> &[Step] {
        let s = self.order1[word as usize];
        &self.next1[s.start as usize..(s.start + s.len) as usize]
    }
}

fn key(a: u32, b: u32) -> u64 {
    (u64::from(a) << 32) | u64::from(b)
}

/// The filler generator.
pub(crate) struct Filler {
    vocab: Vec<String>,
    /// Piece hashes of each vocabulary word.
    pieces: Vec<Pieces>,
    bloom: Bloom,
    /// Source name of each chain, in order of first appearance in the base.
    styles: Vec<String>,
    chains: Vec<Chain>,
}

impl Filler {
    /// Trains on the base articles (with `docs` their parsed form).
    pub fn train(base: &[Article], docs: &[Doc]) -> Filler {
        let mut vocab: Vec<String> = vec!["<s>".into(), "</s>".into()];
        let mut ids: HashMap<String, u32> = HashMap::new();
        let mut styles: Vec<String> = Vec::new();
        let mut pairs: Vec<Vec<(u64, u32)>> = Vec::new();
        let mut dates: Vec<Vec<NaiveDate>> = Vec::new();
        let mut caps: Vec<(usize, usize)> = Vec::new();
        let mut bloom = Bloom::new(26);
        let mut piece_buf = Vec::new();
        for (a, doc) in base.iter().zip(docs) {
            let source = a.source.clone().unwrap_or_default();
            let style = match styles.iter().position(|s| *s == source) {
                Some(s) => s,
                None => {
                    styles.push(source);
                    pairs.push(Vec::new());
                    dates.push(Vec::new());
                    caps.push((0, 0));
                    styles.len() - 1
                }
            };
            if let Some(d) = a.date {
                dates[style].push(d);
            }
            let letters: Vec<char> = doc.title.chars().filter(|c| c.is_alphabetic()).collect();
            caps[style].1 += 1;
            if !letters.is_empty() && letters.iter().all(|c| c.is_uppercase()) {
                caps[style].0 += 1;
            }
            // Every 5-gram of the article (title and body) goes into the filter.
            let mut w = Window::default();
            piece_buf.clear();
            pieces(&doc.title, &mut piece_buf);
            for s in doc.sentences() {
                pieces(&s.text, &mut piece_buf);
            }
            for &p in &piece_buf {
                if let Some(g) = w.push(p) {
                    bloom.insert(g);
                }
            }
            // Prose sentences train the chain.
            for s in doc.sentences() {
                if s.heading || !ends_sentence(&s.text) {
                    continue;
                }
                let toks: Vec<String> = s
                    .text
                    .split_whitespace()
                    .map(clean_token)
                    .filter(|t| !t.is_empty())
                    .collect();
                if toks.len() < 6
                    || toks.iter().any(|t| {
                        piece_buf.clear();
                        pieces(t, &mut piece_buf);
                        piece_buf.len() > MAX_PIECES
                    })
                {
                    continue;
                }
                let mut prev = (START, START);
                for t in toks {
                    let id = *ids.entry(t).or_insert_with_key(|t| {
                        vocab.push(t.clone());
                        (vocab.len() - 1) as u32
                    });
                    pairs[style].push((key(prev.0, prev.1), id));
                    prev = (prev.1, id);
                }
                pairs[style].push((key(prev.0, prev.1), END));
            }
        }
        let word_pieces: Vec<Pieces> = vocab
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let mut p = Pieces::default();
                if i as u32 > END {
                    piece_buf.clear();
                    pieces(v, &mut piece_buf);
                    p.n = piece_buf.len().min(MAX_PIECES) as u8;
                    p.h[..p.n as usize].copy_from_slice(&piece_buf[..p.n as usize]);
                }
                p
            })
            .collect();
        let chains = pairs
            .into_iter()
            .zip(dates)
            .zip(caps)
            .map(|((p, mut d), (c, n))| {
                d.sort_unstable();
                Chain::build(p, &word_pieces, d, c * 2 > n)
            })
            .collect();
        Filler {
            vocab,
            pieces: word_pieces,
            bloom,
            styles,
            chains,
        }
    }

    /// The chain index for articles of `source`: its own chain if there is
    /// one, else the first.
    pub fn style_of(&self, source: &str) -> usize {
        self.styles.iter().position(|s| s == source).unwrap_or(0)
    }

    /// Number of chains.
    pub fn styles(&self) -> usize {
        self.chains.len()
    }

    /// The number of 5-grams of `text` found in the base filter.
    #[cfg(test)]
    pub fn base_grams(&self, text: &str) -> usize {
        let mut buf = Vec::new();
        pieces(text, &mut buf);
        let mut w = Window::default();
        buf.iter()
            .filter_map(|&p| w.push(p))
            .filter(|&g| self.bloom.contains(g))
            .count()
    }

    fn accepts_step(&self, step: &Step, window: &Window) -> Option<Window> {
        if step.pieces != 1 {
            return self.accepts(step.word, window);
        }
        let mut w = *window;
        match w.push(step.first) {
            Some(g) if self.bloom.contains(g) => None,
            _ => Some(w),
        }
    }

    fn accepts(&self, word: u32, window: &Window) -> Option<Window> {
        let mut w = *window;
        let p = &self.pieces[word as usize];
        for &h in &p.h[..p.n as usize] {
            if let Some(g) = w.push(h) {
                if self.bloom.contains(g) {
                    return None;
                }
            }
        }
        Some(w)
    }

    /// `window` after `word`, novel or not.
    fn advance(&self, word: u32, window: &Window) -> Window {
        let mut w = *window;
        let p = &self.pieces[word as usize];
        for &h in &p.h[..p.n as usize] {
            w.push(h);
        }
        w
    }

    /// One sentence of `min..=max` words in `style`, continuing `window`.
    ///
    /// At each step up to six continuations are drawn at order 2, then six
    /// at order 1; a draw is refused if it would complete a base 5-gram (or
    /// end the sentence too early). At a dead end the last words are taken
    /// back (up to three times per sentence position) before the sentence
    /// is restarted.
    pub fn sentence(
        &self,
        style: usize,
        rng: &mut impl Rng,
        window: &mut Window,
        min: usize,
        max: usize,
    ) -> String {
        let chain = &self.chains[style.min(self.chains.len() - 1)];
        // words[i], and the window and order-2 steps before it.
        let mut words: Vec<u32> = Vec::with_capacity(max);
        let mut windows: Vec<Window> = Vec::with_capacity(max + 1);
        let mut spans: Vec<Span32> = Vec::with_capacity(max + 1);
        windows.push(*window);
        spans.push(chain.start);
        let mut backtracks = 0;
        let mut restarts = 0;
        'grow: while words.len() < max {
            let n = words.len();
            let current = windows[n];
            for order2 in [true, false] {
                let list = if order2 {
                    chain.steps2(spans[n])
                } else {
                    chain.steps1(words.last().copied().unwrap_or(START))
                };
                if list.is_empty() {
                    continue;
                }
                for _ in 0..6 {
                    let step = list[rng.random_range(0..list.len())];
                    if step.word == END {
                        if n >= min {
                            break 'grow;
                        }
                        continue;
                    }
                    if let Some(w) = self.accepts_step(&step, &current) {
                        words.push(step.word);
                        windows.push(w);
                        spans.push(step.next);
                        continue 'grow;
                    }
                }
            }
            // Dead end.
            if n >= min {
                break;
            }
            if n > 0 && backtracks < 3 * max {
                backtracks += 1;
                let keep = n.saturating_sub(rng.random_range(1..=3));
                words.truncate(keep);
                windows.truncate(keep + 1);
                spans.truncate(keep + 1);
                continue;
            }
            if restarts < 8 {
                restarts += 1;
                words.clear();
                windows.truncate(1);
                spans.truncate(1);
                continue;
            }
            // Give up on novelty for one word (vanishingly rare).
            let list = chain.steps2(chain.start);
            let Some(&step) = list.get(rng.random_range(0..list.len().max(1))) else {
                break;
            };
            words.push(step.word);
            windows.push(self.advance(step.word, &current));
            spans.push(step.next);
        }
        *window = windows[words.len()];
        let mut out = String::with_capacity(words.len() * 7);
        for (i, &w) in words.iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(&self.vocab[w as usize]);
        }
        finish_sentence(&mut out);
        out
    }

    /// A headline: a short chain run without its final punctuation.
    pub fn title(&self, style: usize, rng: &mut impl Rng) -> String {
        let mut w = Window::default();
        let max = rng.random_range(4..=9);
        let s = self.sentence(style, rng, &mut w, 3, max);
        let t = s
            .trim_end_matches(['.', ',', ';', ':', '!', '?', '\'', '"'])
            .to_string();
        if self.chains[style.min(self.chains.len() - 1)].caps_titles {
            t.to_uppercase()
        } else {
            t
        }
    }

    /// A whole filler article body: 6–20 sentences of 12–35 words in
    /// paragraphs of one to three sentences, and a title.
    pub fn article(&self, style: usize, rng: &mut impl Rng) -> Doc {
        let title = self.title(style, rng);
        let n = rng.random_range(6..=20);
        let mut window = Window::default();
        let mut paras: Vec<Vec<Sent>> = Vec::new();
        let mut left_in_para = 0;
        for _ in 0..n {
            if left_in_para == 0 {
                paras.push(Vec::new());
                left_in_para = rng.random_range(1..=3);
            }
            let s = self.sentence(style, rng, &mut window, 12, 35);
            if let Some(p) = paras.last_mut() {
                p.push(Sent::new(s));
            }
            left_in_para -= 1;
        }
        Doc {
            title,
            byline: None,
            paras,
        }
    }

    /// A date for a filler article of `style`: a base date of that source
    /// plus up to three days.
    pub fn date(&self, style: usize, rng: &mut impl Rng) -> Option<NaiveDate> {
        let d = &self.chains[style.min(self.chains.len() - 1)].dates;
        if d.is_empty() {
            return None;
        }
        let base = d[rng.random_range(0..d.len())];
        base.checked_add_days(chrono::Days::new(rng.random_range(0..=3)))
    }
}

/// Groups sorted (key, value) pairs into key → (start, len) over a flat list.
fn group<K: Copy + Eq + std::hash::Hash>(
    pairs: impl Iterator<Item = (K, u32)>,
) -> (FxMap<K, (u32, u32)>, Vec<u32>) {
    let mut map: FxMap<K, (u32, u32)> = FxMap::default();
    let mut flat = Vec::new();
    let mut current: Option<K> = None;
    for (k, v) in pairs {
        if current != Some(k) {
            map.insert(k, (flat.len() as u32, 0));
            current = Some(k);
        }
        flat.push(v);
        if let Some(e) = map.get_mut(&k) {
            e.1 += 1;
        }
    }
    (map, flat)
}

fn ends_sentence(s: &str) -> bool {
    let t = s.trim_end_matches(['"', '\'', '”', '’', ')']);
    t.ends_with(['.', '!', '?'])
}

/// A training token without quotation marks and brackets (which a chain
/// cannot balance).
fn clean_token(t: &str) -> String {
    t.chars()
        .filter(|c| !matches!(c, '"' | '“' | '”' | '(' | ')' | '[' | ']' | '‘'))
        .collect()
}

/// Ends a generated sentence with a full stop.
fn finish_sentence(s: &mut String) {
    while s.ends_with([',', ';', ':', '-', ' ']) {
        s.pop();
    }
    if !s.ends_with(['.', '!', '?']) {
        s.push('.');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::tests::sample_base;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;
    use std::collections::HashSet;
    use unspun_segment::Segmenter;

    #[test]
    fn filler_is_novel() {
        let base = sample_base();
        let seg = Segmenter::new();
        let docs: Vec<Doc> = base
            .iter()
            .map(|a| Doc::parse(&seg, a.title.as_deref().unwrap_or(""), &a.text))
            .collect();
        let filler = Filler::train(base, &docs);
        assert_eq!(filler.styles(), 2);
        let base_sentences: HashSet<&str> = docs
            .iter()
            .flat_map(|d| d.sentences().map(|s| s.text.as_str()))
            .collect();
        let hasher = unspun_fingerprint::MinHasher::new();
        let analyzer = unspun_segment::Analyzer::new();
        let mut base_shingles: HashSet<u64> = HashSet::new();
        for a in base {
            let toks = analyzer.tokens(&a.text, unspun_segment::Span::new(0, a.text.len()));
            base_shingles.extend(hasher.shingles(&toks));
        }
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let (mut shared, mut total) = (0usize, 0usize);
        for i in 0..60 {
            let doc = filler.article(i % 2, &mut rng);
            let n = doc.sentence_count();
            assert!((6..=20).contains(&n), "{n}");
            for s in doc.sentences() {
                let w = s.words();
                assert!((12..=35).contains(&w), "{w}: {}", s.text);
                assert!(!base_sentences.contains(s.text.as_str()), "{}", s.text);
            }
            let text = doc.render();
            assert_eq!(filler.base_grams(&text), 0);
            let toks = analyzer.tokens(&text, unspun_segment::Span::new(0, text.len()));
            let sh = hasher.shingles(&toks);
            total += sh.len();
            shared += sh.iter().filter(|h| base_shingles.contains(h)).count();
        }
        // Almost no 5-gram (as unspun's MinHash sees them) is shared.
        assert!(total > 5000);
        assert!((shared as f64) < 0.01 * total as f64, "{shared} / {total}");
    }
}
