//! Story clusters without transitive blow-up.
//!
//! Flat duplicate clustering takes the connected components of "similar"
//! links. One roundup that quotes two stories, or one template shared by a
//! hundred earnings reports, then glues unrelated stories into one giant
//! component, and the result depends on nothing but the links. The rule
//! here:
//!
//! 1. **Lineage.** Every derived article follows its *primary* parent (the
//!    source explaining most of it) up to a root: its original. A story is
//!    an original with everything whose primary lineage leads to it. A blend
//!    belongs to the story of its main source only; its other sources are
//!    listed as `also_draws_on`, and do not merge the two stories.
//! 2. **Independent coverage** (`related` pairs: same names and numbers, no
//!    shared sentences) joins stories by *star* clustering on the originals:
//!    originals are taken in date order (then id); an original that is
//!    related directly to an earlier original that heads a story joins the
//!    one it is most related to; otherwise it heads a story of its own. An
//!    original that joined another cannot be joined in turn, so `A ~ B ~ C`
//!    with `A` and `C` unrelated is never one story through `B`.
//!
//! Both steps use only the pairs and the article metadata, never the order
//! articles were ingested in.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use unspun_article::ArticleId;

use crate::lineage::{Edge, NodeInfo};

/// One story: an original and the articles that derive from it or cover
/// the same story independently.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cluster {
    /// 1-based number, clusters ordered by size (largest first), then by
    /// original id.
    pub cluster: usize,
    /// The original that heads the story.
    pub original: ArticleId,
    /// Every member, the original included, sorted by id.
    pub members: Vec<ArticleId>,
    /// Other originals of independent coverage that joined this story.
    pub related_originals: Vec<ArticleId>,
    /// Number of `derived_from` edges inside the story.
    pub edges: usize,
    /// Articles outside the story that members also draw on (blends).
    pub also_draws_on: Vec<ArticleId>,
}

/// The root of each article along primary parents (cycle-safe: a cycle,
/// possible only among uncertain directions, is broken at its smallest id).
pub(crate) fn roots(
    nodes: &BTreeMap<ArticleId, NodeInfo>,
    edges: &[Edge],
) -> BTreeMap<ArticleId, ArticleId> {
    let primary: BTreeMap<&ArticleId, &ArticleId> = edges
        .iter()
        .filter(|e| e.primary)
        .map(|e| (&e.derived, &e.source))
        .collect();
    let mut out = BTreeMap::new();
    for id in nodes.keys() {
        let mut path: Vec<&ArticleId> = vec![id];
        let mut seen: BTreeSet<&ArticleId> = BTreeSet::from([id]);
        let mut cur = id;
        while let Some(&p) = primary.get(cur) {
            if !seen.insert(p) {
                // A cycle: its smallest member is the root.
                let start = path.iter().position(|x| *x == p).unwrap_or(0);
                cur = path[start..].iter().min().copied().unwrap_or(p);
                break;
            }
            path.push(p);
            cur = p;
        }
        out.insert(id.clone(), cur.clone());
    }
    out
}

/// Groups articles into stories; singletons (articles in no edge and no
/// joined related pair) are left out.
pub(crate) fn clusters(
    nodes: &BTreeMap<ArticleId, NodeInfo>,
    edges: &[Edge],
    related: &[(ArticleId, ArticleId, f32)],
) -> Vec<Cluster> {
    let root = roots(nodes, edges);
    let originals: BTreeSet<&ArticleId> = root.values().collect();
    // Related links between originals only.
    let mut rel: BTreeMap<&ArticleId, Vec<(&ArticleId, f32)>> = BTreeMap::new();
    for (a, b, s) in related {
        let (ra, rb) = (&root[a], &root[b]);
        if ra != rb && originals.contains(ra) && a == ra && b == rb {
            rel.entry(ra).or_default().push((rb, *s));
            rel.entry(rb).or_default().push((ra, *s));
        }
    }
    let mut order: Vec<&ArticleId> = originals.iter().copied().collect();
    order.sort_by(|a, b| {
        nodes[*a]
            .date
            .cmp(&nodes[*b].date)
            .then_with(|| crate::lineage::natural_cmp(a.as_str(), b.as_str()))
    });
    let rank: BTreeMap<&ArticleId, usize> =
        order.iter().enumerate().map(|(i, a)| (*a, i)).collect();
    let mut head: BTreeMap<&ArticleId, &ArticleId> = BTreeMap::new();
    let mut is_centre: BTreeSet<&ArticleId> = BTreeSet::new();
    for o in &order {
        let joined = rel.get(o).and_then(|links| {
            links
                .iter()
                .filter(|(c, _)| is_centre.contains(c) && rank[c] < rank[o])
                .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(a.0)))
                .map(|(c, _)| *c)
        });
        match joined {
            Some(c) => {
                head.insert(o, c);
            }
            None => {
                is_centre.insert(o);
                head.insert(o, o);
            }
        }
    }
    let mut stories: BTreeMap<&ArticleId, BTreeSet<&ArticleId>> = BTreeMap::new();
    for (id, r) in &root {
        stories.entry(head[r]).or_default().insert(id);
    }
    let story_of: BTreeMap<&ArticleId, &ArticleId> =
        root.iter().map(|(id, r)| (id, head[r])).collect();
    // One pass over the edges: inner edge counts and outside sources per story.
    let mut inside: BTreeMap<&ArticleId, usize> = BTreeMap::new();
    let mut outside: BTreeMap<&ArticleId, BTreeSet<ArticleId>> = BTreeMap::new();
    for e in edges {
        let (sd, ss) = (story_of[&e.derived], story_of[&e.source]);
        if sd == ss {
            *inside.entry(sd).or_default() += 1;
        } else {
            outside.entry(sd).or_default().insert(e.source.clone());
        }
    }
    let mut out: Vec<Cluster> = stories
        .into_iter()
        .filter(|(_, m)| m.len() > 1)
        .map(|(h, members)| {
            let related_originals = members
                .iter()
                .filter(|m| **m != h && originals.contains(*m) && &root[**m] == **m)
                .map(|m| (*m).clone())
                .collect();
            Cluster {
                cluster: 0,
                original: h.clone(),
                members: members.into_iter().cloned().collect(),
                related_originals,
                edges: inside.get(h).copied().unwrap_or(0),
                also_draws_on: outside.remove(h).unwrap_or_default().into_iter().collect(),
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.members
            .len()
            .cmp(&a.members.len())
            .then(a.original.cmp(&b.original))
    });
    for (i, c) in out.iter_mut().enumerate() {
        c.cluster = i + 1;
    }
    out
}

/// Sizes of the connected components of every link (reuse and related),
/// largest first, singletons left out: what transitive closure would give.
pub fn transitive_components(
    nodes: &BTreeMap<ArticleId, NodeInfo>,
    links: impl IntoIterator<Item = (ArticleId, ArticleId)>,
) -> Vec<usize> {
    let ids: Vec<&ArticleId> = nodes.keys().collect();
    let index: BTreeMap<&ArticleId, usize> = ids.iter().enumerate().map(|(i, a)| (*a, i)).collect();
    let mut parent: Vec<usize> = (0..ids.len()).collect();
    fn find(p: &mut [usize], mut x: usize) -> usize {
        while p[x] != x {
            p[x] = p[p[x]];
            x = p[x];
        }
        x
    }
    for (a, b) in links {
        if let (Some(&x), Some(&y)) = (index.get(&a), index.get(&b)) {
            let (rx, ry) = (find(&mut parent, x), find(&mut parent, y));
            if rx != ry {
                parent[rx.max(ry)] = rx.min(ry);
            }
        }
    }
    let mut size: BTreeMap<usize, usize> = BTreeMap::new();
    for i in 0..ids.len() {
        *size.entry(find(&mut parent, i)).or_default() += 1;
    }
    let mut v: Vec<usize> = size.into_values().filter(|&s| s > 1).collect();
    v.sort_unstable_by(|a, b| b.cmp(a));
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pairs::EdgeRelation;

    fn id(s: &str) -> ArticleId {
        ArticleId::new(s).unwrap()
    }

    fn nodes(ids: &[(&str, u32)]) -> BTreeMap<ArticleId, NodeInfo> {
        ids.iter()
            .map(|(s, day)| {
                (
                    id(s),
                    NodeInfo {
                        id: id(s),
                        date: chrono::NaiveDate::from_ymd_opt(2025, 1, *day),
                        source: None,
                        title: None,
                        sentences: 5,
                        revision: 1,
                    },
                )
            })
            .collect()
    }

    fn edge(d: &str, s: &str, primary: bool) -> Edge {
        Edge {
            derived: id(d),
            source: id(s),
            relation: EdgeRelation::Copy,
            coverage: 1.0,
            source_coverage: 1.0,
            confidence: 1.0,
            direction_certain: true,
            direction_evidence: vec![],
            parent_certain: true,
            primary,
            credited: false,
            changes: None,
            evidence: vec![],
            attributed: vec![],
            via: vec![],
            notes: vec![],
            beyond_common: None,
        }
    }

    #[test]
    fn a_blend_does_not_merge_two_stories() {
        let n = nodes(&[("a", 1), ("a2", 2), ("b", 1), ("b2", 2), ("x", 3)]);
        let edges = vec![
            edge("a2", "a", true),
            edge("b2", "b", true),
            edge("x", "a", true),
            edge("x", "b", false),
        ];
        let c = clusters(&n, &edges, &[]);
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].original.as_str(), "a");
        assert_eq!(c[0].members, [id("a"), id("a2"), id("x")]);
        assert_eq!(c[0].also_draws_on, [id("b")]);
        let closure = transitive_components(
            &n,
            edges.iter().map(|e| (e.derived.clone(), e.source.clone())),
        );
        assert_eq!(closure, [5], "transitive closure glues both stories");
    }

    #[test]
    fn related_originals_join_by_star_not_by_chain() {
        // a ~ b ~ c, a and c unrelated: b joins a; c stays apart.
        let n = nodes(&[("a", 1), ("b", 2), ("c", 3), ("c2", 4)]);
        let edges = vec![edge("c2", "c", true)];
        let related = vec![(id("a"), id("b"), 0.05), (id("b"), id("c"), 0.05)];
        let c = clusters(&n, &edges, &related);
        let sets: Vec<Vec<&str>> = c
            .iter()
            .map(|c| c.members.iter().map(|m| m.as_str()).collect())
            .collect();
        assert_eq!(sets, [vec!["a", "b"], vec!["c", "c2"]]);
        assert_eq!(c[0].related_originals, [id("b")]);
        let closure = transitive_components(
            &n,
            related
                .iter()
                .map(|r| (r.0.clone(), r.1.clone()))
                .chain(edges.iter().map(|e| (e.derived.clone(), e.source.clone()))),
        );
        assert_eq!(closure, [4]);
    }

    #[test]
    fn chains_lead_to_their_root() {
        let n = nodes(&[("a", 1), ("b", 2), ("c", 3), ("d", 4)]);
        let edges = vec![
            edge("b", "a", true),
            edge("c", "b", true),
            edge("d", "c", true),
        ];
        let r = roots(&n, &edges);
        assert!(r.values().all(|v| v.as_str() == "a"));
        // A cycle of uncertain directions still ends somewhere.
        let cyc = vec![edge("a", "b", true), edge("b", "a", true)];
        let r = roots(&nodes(&[("a", 1), ("b", 1)]), &cyc);
        assert_eq!(r[&id("a")], r[&id("b")]);
    }
}
