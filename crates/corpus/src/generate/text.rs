//! The text of one article of the plan, from its own RNG.

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use unspun_article::Article;

use super::{Generator, Op, Role};
use crate::doc::Doc;
use crate::edit;
use crate::outlet;
use crate::paraphrase::Paraphraser;
use crate::spec::DerivationKind;

impl Generator<'_> {
    /// The body of plan `idx` (without its byline): what a descendant copies.
    pub(super) fn body(&self, idx: u32, para: &Paraphraser<'_>) -> Doc {
        let p = &self.plans[idx as usize];
        let mut rng = self.rng(idx, 0);
        match p.role {
            Role::Base(i) => self.docs[i as usize].clone(),
            Role::Filler(style) => self.filler.article(style as usize, &mut rng),
            Role::Derived(d) => {
                let parent = self.body(d.parents[0], para);
                let style = self.filler.style_of(self.source(d.root));
                let rw = para.rewrites();
                let mut doc = match d.op {
                    Op::Copy => {
                        let mut c = parent.clone();
                        if rng.random_bool(0.5) {
                            c.title = edit::retitle(&parent, rw, &mut rng);
                        }
                        c
                    }
                    Op::LightEdit => {
                        edit::light_edit(&parent, rw, &self.filler, style, 2, &mut rng)
                    }
                    Op::Reorder => edit::reorder(&parent, rw, &self.filler, style, &mut rng),
                    Op::Blend => {
                        let other = self.body(d.parents[1], para);
                        edit::blend(&parent, &other, &mut rng)
                    }
                    Op::Paraphrase => para.doc(&parent, &mut rng),
                };
                // Every link of a chain adds material of its own: a
                // republication that adds nothing is the same text as its
                // parent, and no reader (nor unspun) could tell which of
                // the two a third generation copied.
                if d.kind == DerivationKind::Chain {
                    self.own_material(&mut doc, style, para, &mut rng);
                }
                if d.credited {
                    let names: Vec<&str> = d.parents[..d.n_parents as usize]
                        .iter()
                        .map(|&q| self.source(q))
                        .collect();
                    outlet::credit(&mut rng, &mut doc, &names);
                }
                doc.byline = None;
                doc
            }
        }
    }

    /// What each link of a chain adds: new material and at least one
    /// distinctive change, all marked fixed for the descendants.
    fn own_material(
        &self,
        doc: &mut Doc,
        style: usize,
        para: &Paraphraser<'_>,
        rng: &mut ChaCha8Rng,
    ) {
        if rng.random_bool(0.5) {
            edit::add_paragraph(doc, &self.filler, style, rng);
        } else {
            for _ in 0..rng.random_range(1..=2) {
                edit::add_sentence(doc, &self.filler, style, rng);
            }
        }
        let changed = match edit::change_number(doc, rng) {
            Some(pos) => vec![pos],
            None => edit::swap_words(doc, para.rewrites(), 1, rng),
        };
        for (p, i) in changed {
            doc.paras[p][i].fixed = true;
        }
    }

    /// The article of plan `idx`, as published.
    pub(super) fn article(&self, idx: u32, para: &Paraphraser<'_>) -> Article {
        let p = &self.plans[idx as usize];
        let mut doc = self.body(idx, para);
        let mut rng = self.rng(idx, 1);
        let date = match p.role {
            Role::Filler(style) => self.filler.date(style as usize, &mut rng),
            _ => p.date,
        };
        if let Role::Derived(d) = p.role {
            if d.byline {
                doc.byline = Some(outlet::byline(&mut rng, self.source(idx)));
            }
        }
        doc.to_article(self.id(idx), date, self.source(idx))
    }
}
