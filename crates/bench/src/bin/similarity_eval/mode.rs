//! The scorer's modes: which features each one reads, and their names.

use unspun_align::pair::LEXICAL_FEATURES;
use unspun_embed::TOKEN_FEATURES;

use crate::features::PairFeatures;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Lexical,
    LexicalLr,
    Static,
    MiniLm,
    LexStatic,
    LexMiniLm,
    LexTokens,
    AlignLexical,
    AlignStatic,
    AlignMiniLm,
    /// The cross-encoder's margin alone ([`PairModel`]).
    Pair,
    /// Lexical features, the static cosine and the cross-encoder's margin:
    /// what `unspun similarity --model minilm` uses.
    LexPair,
}

pub const MODES: [Mode; 12] = [
    Mode::Lexical,
    Mode::LexicalLr,
    Mode::Static,
    Mode::MiniLm,
    Mode::LexStatic,
    Mode::LexMiniLm,
    Mode::LexTokens,
    Mode::AlignLexical,
    Mode::AlignStatic,
    Mode::AlignMiniLm,
    Mode::Pair,
    Mode::LexPair,
];

/// Indices into `LEXICAL_FEATURES` of the aligner's blend inputs: the
/// lexical score and the containment of the less-covered side (the
/// strongest features the aligner already computes per sentence pair).
const ALIGN_LEXICAL: [usize; 2] = [0, 3];

impl Mode {
    pub fn name(self) -> &'static str {
        match self {
            Mode::Lexical => "lexical",
            Mode::LexicalLr => "lexical-lr",
            Mode::Static => "static",
            Mode::MiniLm => "minilm",
            Mode::LexStatic => "lexical+static",
            Mode::LexMiniLm => "lexical+minilm",
            Mode::LexTokens => "lexical+minilm+tokens",
            Mode::AlignLexical => "align-lexical",
            Mode::AlignStatic => "align-static",
            Mode::AlignMiniLm => "align-minilm",
            Mode::Pair => "minilm-pair",
            Mode::LexPair => "lexical+static+minilm-pair",
        }
    }

    /// Which embedding the mode uses.
    pub fn embedding(self) -> Option<Emb> {
        match self {
            Mode::Static | Mode::LexStatic | Mode::AlignStatic | Mode::LexPair => Some(Emb::Static),
            Mode::MiniLm | Mode::LexMiniLm | Mode::LexTokens | Mode::AlignMiniLm => {
                Some(Emb::MiniLm)
            }
            Mode::Lexical | Mode::LexicalLr | Mode::AlignLexical | Mode::Pair => None,
        }
    }

    pub fn uses_lexical(self) -> bool {
        !matches!(self, Mode::Static | Mode::MiniLm | Mode::Pair)
    }

    pub fn is_logistic(self) -> bool {
        !matches!(
            self,
            Mode::Lexical | Mode::Static | Mode::MiniLm | Mode::Pair
        )
    }

    /// Modes with the cross-encoder, whose adapter was trained on MRPC train
    /// pairs `i % 5 != 4`: they are fitted on the held-out fifth only.
    pub fn uses_pair_model(self) -> bool {
        matches!(self, Mode::Pair | Mode::LexPair)
    }

    fn is_align(self) -> bool {
        matches!(
            self,
            Mode::AlignLexical | Mode::AlignStatic | Mode::AlignMiniLm
        )
    }

    pub fn feature_names(self) -> Vec<&'static str> {
        let mut names = Vec::new();
        if self == Mode::LexTokens {
            names.extend(LEXICAL_FEATURES);
            names.push("cos_minilm");
            names.extend(
                TOKEN_FEATURES
                    .map(|n| n.trim_start_matches("tok_"))
                    .map(minilm_name),
            );
            names.push("cos_static");
            names.extend(
                TOKEN_FEATURES
                    .map(|n| n.trim_start_matches("tok_"))
                    .map(static_name),
            );
            return names;
        }
        if self.is_align() {
            names.extend(ALIGN_LEXICAL.map(|k| LEXICAL_FEATURES[k]));
        } else if self.uses_lexical() {
            names.extend(LEXICAL_FEATURES);
        }
        if let Some(e) = self.embedding() {
            names.push(e.cos_name());
        }
        if self.uses_pair_model() {
            names.push("pair_margin");
        }
        names
    }

    /// The mode's input vector for one pair.
    pub fn inputs(self, p: &PairFeatures) -> Vec<f64> {
        match self {
            Mode::Lexical => vec![p.lex[0]],
            Mode::Static => vec![p.cos_static],
            Mode::MiniLm => vec![p.cos_minilm],
            Mode::LexicalLr => p.lex.clone(),
            Mode::LexStatic => with_cosine(&p.lex, p.cos_static),
            Mode::LexMiniLm => with_cosine(&p.lex, p.cos_minilm),
            Mode::LexTokens => {
                let mut v = with_cosine(&p.lex, p.cos_minilm);
                v.extend(&p.tok_minilm);
                v.push(p.cos_static);
                v.extend(&p.tok_static);
                v
            }
            Mode::AlignLexical => ALIGN_LEXICAL.iter().map(|&k| p.lex[k]).collect(),
            Mode::AlignStatic => with_cosine(&Mode::AlignLexical.inputs(p), p.cos_static),
            Mode::AlignMiniLm => with_cosine(&Mode::AlignLexical.inputs(p), p.cos_minilm),
            Mode::Pair => vec![p.margin],
            Mode::LexPair => {
                let mut v = with_cosine(&p.lex, p.cos_static);
                v.push(p.margin);
                v
            }
        }
    }
}

/// Feature names of the MiniLM token features (`minilm_p`, …).
fn minilm_name(n: &str) -> &'static str {
    match n {
        "p" => "minilm_p",
        "r" => "minilm_r",
        "f" => "minilm_f",
        "wp" => "minilm_wp",
        "wr" => "minilm_wr",
        "wf" => "minilm_wf",
        "unmatched" => "minilm_unmatched",
        _ => "minilm_min",
    }
}

/// Feature names of the static token features (`static_p`, …).
fn static_name(n: &str) -> &'static str {
    match n {
        "p" => "static_p",
        "r" => "static_r",
        "f" => "static_f",
        "wp" => "static_wp",
        "wr" => "static_wr",
        "wf" => "static_wf",
        "unmatched" => "static_unmatched",
        _ => "static_min",
    }
}

/// Lexical features followed by the cosine.
pub fn with_cosine(lex: &[f64], cos: f64) -> Vec<f64> {
    let mut v = lex.to_vec();
    v.push(cos);
    v
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Emb {
    Static,
    MiniLm,
}

impl Emb {
    fn cos_name(self) -> &'static str {
        match self {
            Emb::Static => "cos_static",
            Emb::MiniLm => "cos_minilm",
        }
    }
}
