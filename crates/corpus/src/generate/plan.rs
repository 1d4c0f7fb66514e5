//! The plan: who derives from whom, drawn sequentially from one seeded RNG.

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};
use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::{Derivation, Generator, Op, Plan, Role};
use crate::base::{bbc_date, category};
use crate::doc::Doc;
use crate::outlet::OUTLETS;
use crate::spec::DerivationKind;

impl Generator<'_> {
    /// Draws who derives from whom.
    pub(super) fn plan(&mut self) {
        let spec = &self.spec;
        let n = spec.size;
        let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);
        let mut d = (n as f64 * spec.derived_share).round() as usize;
        let mut b = self.base.len().min(n - d.min(n));
        if d > 0 && b == 0 {
            b = 1.min(n);
            d = n - b;
        }
        d = d.min(n - b);
        let f = n - d - b;

        // The base sample, in id order.
        let mut sample: Vec<u32> = (0..self.base.len() as u32).collect();
        if b < sample.len() {
            sample.shuffle(&mut rng);
            sample.truncate(b);
            sample.sort_unstable();
        }
        let mut plans: Vec<Plan> = Vec::with_capacity(n);
        for &i in &sample {
            let a = &self.base[i as usize];
            plans.push(Plan {
                role: Role::Base(i),
                number: i,
                date: Some(a.date.unwrap_or_else(|| bbc_date(a.id.as_str()))),
                outlet: 0,
            });
        }

        // Blend partners come from the same category.
        let mut by_cat: BTreeMap<String, Vec<u32>> = BTreeMap::new();
        for (pi, &i) in sample.iter().enumerate() {
            by_cat
                .entry(category(&self.base[i as usize]))
                .or_default()
                .push(pi as u32);
        }
        let words: Vec<Vec<u64>> = sample
            .iter()
            .map(|&i| content_hashes(&self.docs[i as usize]))
            .collect();

        // Units: one derived article, or one whole chain.
        let counts = spec.mix.counts(d);
        let mut units: Vec<(DerivationKind, u8)> = Vec::new();
        for (k, &c) in DerivationKind::ALL.iter().zip(&counts) {
            if *k == DerivationKind::Chain {
                let mut left = c;
                while left > 0 {
                    let len = match left {
                        1 => 1,
                        2 | 4 => 2,
                        3 => 3,
                        _ => {
                            if rng.random_bool(spec.chain_gen3_share) {
                                3
                            } else {
                                2
                            }
                        }
                    };
                    units.push((*k, len));
                    left -= len as usize;
                }
            } else {
                units.extend(std::iter::repeat_n((*k, 1u8), c));
            }
        }
        units.shuffle(&mut rng);

        let mut numbers = [0u32; 6];
        let mut chain_gens = [0usize; 3];
        let mut credited = 0usize;
        let outlets = OUTLETS.len() as u8;
        for (kind, len) in units {
            let ki = DerivationKind::ALL
                .iter()
                .position(|&k| k == kind)
                .unwrap_or(0);
            let root = rng.random_range(0..b) as u32;
            match kind {
                DerivationKind::Chain => {
                    let mut parent = root;
                    for gen in 1..=len {
                        let op = if gen == 1 {
                            if rng.random_bool(0.5) {
                                Op::LightEdit
                            } else {
                                Op::Paraphrase
                            }
                        } else if rng.random_bool(0.5) {
                            Op::Copy
                        } else {
                            Op::LightEdit
                        };
                        let pdate = plans[parent as usize].date.expect("dated");
                        let avoid = match plans[parent as usize].role {
                            Role::Base(_) => None,
                            _ => Some(plans[parent as usize].outlet),
                        };
                        let outlet = loop {
                            let o = rng.random_range(0..outlets);
                            if Some(o) != avoid {
                                break o;
                            }
                        };
                        let c = rng.random_bool(spec.credit_share);
                        credited += usize::from(c);
                        chain_gens[gen as usize - 1] += 1;
                        plans.push(Plan {
                            role: Role::Derived(Derivation {
                                kind,
                                op,
                                parents: [parent, parent],
                                n_parents: 1,
                                generation: gen,
                                root,
                                credited: c,
                                byline: rng.random_bool(spec.byline_share),
                            }),
                            number: numbers[ki],
                            date: Some(add_days(pdate, rng.random_range(1..=3))),
                            outlet,
                        });
                        numbers[ki] += 1;
                        parent = (plans.len() - 1) as u32;
                    }
                }
                _ => {
                    let op = match kind {
                        DerivationKind::Copy => Op::Copy,
                        DerivationKind::LightEdit => Op::LightEdit,
                        DerivationKind::Reorder => Op::Reorder,
                        DerivationKind::Blend => Op::Blend,
                        _ => Op::Paraphrase,
                    };
                    let mut parents = [root, root];
                    let mut n_parents = 1;
                    if op == Op::Blend && b > 1 {
                        parents[1] = self.partner(root, &by_cat, &words, &sample, &mut rng);
                        n_parents = 2;
                    }
                    let pdate = parents[..n_parents as usize]
                        .iter()
                        .filter_map(|&p| plans[p as usize].date)
                        .max()
                        .expect("dated");
                    let c = rng.random_bool(spec.credit_share);
                    credited += usize::from(c);
                    plans.push(Plan {
                        role: Role::Derived(Derivation {
                            kind,
                            op,
                            parents,
                            n_parents,
                            generation: 1,
                            root,
                            credited: c,
                            byline: rng.random_bool(spec.byline_share),
                        }),
                        number: numbers[ki],
                        date: Some(add_days(pdate, rng.random_range(0..=3))),
                        outlet: rng.random_range(0..outlets),
                    });
                    numbers[ki] += 1;
                }
            }
        }

        // Filler, in the styles of the base sources, in proportion.
        let mut style_weights = vec![0usize; self.filler.styles()];
        for a in self.base {
            style_weights[self.filler.style_of(a.source.as_deref().unwrap_or(""))] += 1;
        }
        let total_w: usize = style_weights.iter().sum();
        for k in 0..f {
            let mut x = rng.random_range(0..total_w.max(1));
            let mut style = 0;
            for (s, &w) in style_weights.iter().enumerate() {
                if x < w {
                    style = s;
                    break;
                }
                x -= w;
            }
            plans.push(Plan {
                role: Role::Filler(style as u8),
                number: k as u32,
                date: None,
                outlet: rng.random_range(0..outlets),
            });
        }

        let mut order: Vec<u32> = (0..plans.len() as u32).collect();
        order.shuffle(&mut rng);

        let mut c = BTreeMap::new();
        c.insert("total".to_string(), n);
        c.insert("base".to_string(), b);
        c.insert("unrelated".to_string(), f);
        c.insert("derived".to_string(), d);
        for (k, &n) in DerivationKind::ALL.iter().zip(&counts) {
            c.insert(k.name().to_string(), n);
        }
        for (g, &n) in chain_gens.iter().enumerate() {
            c.insert(format!("chain_gen{}", g + 1), n);
        }
        c.insert("credited".to_string(), credited);
        for a in sample.iter().map(|&i| &self.base[i as usize]) {
            let s = a.source.clone().unwrap_or_default();
            *c.entry(format!("base_{}", s.to_lowercase())).or_insert(0) += 1;
        }
        self.plans = plans;
        self.order = order;
        self.counts = c;
    }

    /// A blend partner for base plan `a`: among up to 16 random others of
    /// its category, the one sharing the most content words.
    fn partner(
        &self,
        a: u32,
        by_cat: &BTreeMap<String, Vec<u32>>,
        words: &[Vec<u64>],
        sample: &[u32],
        rng: &mut ChaCha8Rng,
    ) -> u32 {
        let cat = category(&self.base[sample[a as usize] as usize]);
        let pool = by_cat.get(&cat).filter(|p| p.len() > 1);
        let b = sample.len() as u32;
        let mut best: Option<(usize, u32)> = None;
        for _ in 0..16 {
            let c = match pool {
                Some(p) => *p.choose(rng).expect("non-empty"),
                None => rng.random_range(0..b),
            };
            if c == a {
                continue;
            }
            let score = crate::measure::intersection(&words[a as usize], &words[c as usize]);
            if best.is_none_or(|(s, _)| score > s) {
                best = Some((score, c));
            }
        }
        best.map_or((a + 1) % b, |(_, c)| c)
    }
}

fn add_days(d: NaiveDate, n: u64) -> NaiveDate {
    d.checked_add_days(Days::new(n)).unwrap_or(d)
}

/// Hashes of the distinct lower-case words of five letters or more.
fn content_hashes(doc: &Doc) -> Vec<u64> {
    let mut v: Vec<u64> = doc
        .sentences()
        .flat_map(|s| s.text.split(|c: char| !c.is_alphanumeric()))
        .filter(|w| w.len() >= 5 && w.chars().all(|c| c.is_alphabetic()))
        .map(|w| xxhash_rust::xxh3::xxh3_64(w.to_lowercase().as_bytes()))
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}
