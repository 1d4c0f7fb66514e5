//! Graph outputs: JSON Lines (edges, related pairs, clusters), GraphML for
//! Gephi and DOT for Graphviz.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io::{self, Write};

use serde_json::json;
use unspun_article::ArticleId;

use crate::{Cluster, DerivationGraph, Edge};

impl DerivationGraph {
    /// The part of the graph within `members`: their nodes, the edges and
    /// related pairs between them, and the clusters they make up.
    pub fn subgraph(&self, members: &BTreeSet<ArticleId>) -> DerivationGraph {
        DerivationGraph {
            nodes: self
                .nodes
                .iter()
                .filter(|(id, _)| members.contains(*id))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            edges: self
                .edges
                .iter()
                .filter(|e| members.contains(&e.derived) && members.contains(&e.source))
                .cloned()
                .collect(),
            related: self
                .related
                .iter()
                .filter(|r| members.contains(&r.0) && members.contains(&r.1))
                .cloned()
                .collect(),
            clusters: self
                .clusters
                .iter()
                .filter(|c| c.members.iter().all(|m| members.contains(m)))
                .cloned()
                .collect(),
        }
    }

    /// The story of `id` (its cluster) as a subgraph; just the article when
    /// it is in no cluster.
    pub fn story_of(&self, id: &ArticleId) -> DerivationGraph {
        let members: BTreeSet<ArticleId> = match self.cluster_of(id) {
            Some(c) => c.members.iter().cloned().collect(),
            None => BTreeSet::from([id.clone()]),
        };
        self.subgraph(&members)
    }

    /// Writes one JSON object per line: every edge (`"type": "edge"`), then
    /// every related pair (`"related"`), then every cluster (`"cluster"`).
    pub fn write_jsonl(&self, w: &mut dyn Write) -> io::Result<()> {
        let lines = self
            .edges
            .iter()
            .map(edge_line)
            .chain(self.related.iter().map(|(a, b, s)| related_line(a, b, *s)))
            .chain(self.clusters.iter().map(cluster_line));
        for line in lines {
            serde_json::to_writer(&mut *w, &line)?;
            w.write_all(b"\n")?;
        }
        Ok(())
    }

    /// Writes GraphML (nodes with outlet, date, title, cluster and original
    /// flag; edges with relation, coverage, confidence, direction certainty,
    /// changes and credit; related pairs as edges of relation `related`).
    pub fn write_graphml(&self, w: &mut dyn Write) -> io::Result<()> {
        let originals = self.originals();
        let mut s = String::new();
        s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        s.push_str("<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n");
        for (id, on, name, ty) in [
            ("outlet", "node", "outlet", "string"),
            ("date", "node", "date", "string"),
            ("title", "node", "title", "string"),
            ("cluster", "node", "cluster", "int"),
            ("original", "node", "original", "string"),
            ("relation", "edge", "relation", "string"),
            ("coverage", "edge", "coverage", "double"),
            ("confidence", "edge", "confidence", "double"),
            ("direction_certain", "edge", "direction_certain", "boolean"),
            ("primary", "edge", "primary", "boolean"),
            ("credited", "edge", "credited", "boolean"),
            ("quotes_altered", "edge", "quotes_altered", "int"),
            ("changes", "edge", "changes", "int"),
        ] {
            let _ = writeln!(
                s,
                "  <key id=\"{id}\" for=\"{on}\" attr.name=\"{name}\" attr.type=\"{ty}\"/>"
            );
        }
        s.push_str("  <graph id=\"unspun\" edgedefault=\"directed\">\n");
        for (id, n) in &self.nodes {
            let _ = writeln!(s, "    <node id=\"{}\">", xml(id.as_str()));
            if let Some(o) = &n.source {
                let _ = writeln!(s, "      <data key=\"outlet\">{}</data>", xml(o));
            }
            if let Some(d) = n.date {
                let _ = writeln!(s, "      <data key=\"date\">{d}</data>");
            }
            if let Some(t) = &n.title {
                let _ = writeln!(s, "      <data key=\"title\">{}</data>", xml(t));
            }
            if let Some(c) = self.cluster_of(id) {
                let _ = writeln!(s, "      <data key=\"cluster\">{}</data>", c.cluster);
            }
            if let Some(o) = originals.get(id) {
                let _ = writeln!(s, "      <data key=\"original\">{}</data>", xml(o.as_str()));
            }
            s.push_str("    </node>\n");
        }
        for (i, e) in self.edges.iter().enumerate() {
            let _ = writeln!(
                s,
                "    <edge id=\"e{i}\" source=\"{}\" target=\"{}\">",
                xml(e.derived.as_str()),
                xml(e.source.as_str())
            );
            let _ = writeln!(
                s,
                "      <data key=\"relation\">{}</data>",
                e.relation.as_str()
            );
            let _ = writeln!(
                s,
                "      <data key=\"coverage\">{}</data>",
                round3(e.coverage)
            );
            let _ = writeln!(
                s,
                "      <data key=\"confidence\">{}</data>",
                round3(e.confidence)
            );
            let _ = writeln!(
                s,
                "      <data key=\"direction_certain\">{}</data>",
                e.direction_certain
            );
            let _ = writeln!(s, "      <data key=\"primary\">{}</data>", e.primary);
            let _ = writeln!(s, "      <data key=\"credited\">{}</data>", e.credited);
            if let Some(c) = &e.changes {
                let _ = writeln!(
                    s,
                    "      <data key=\"quotes_altered\">{}</data>",
                    c.quotes_altered
                );
                let _ = writeln!(s, "      <data key=\"changes\">{}</data>", c.changes);
            }
            s.push_str("    </edge>\n");
        }
        for (i, (a, b, _)) in self.related.iter().enumerate() {
            let _ = writeln!(
                s,
                "    <edge id=\"r{i}\" source=\"{}\" target=\"{}\"><data key=\"relation\">related</data></edge>",
                xml(a.as_str()),
                xml(b.as_str())
            );
        }
        s.push_str("  </graph>\n</graphml>\n");
        w.write_all(s.as_bytes())
    }

    /// Writes a Graphviz digraph: an arrow from each source to what derives
    /// from it (the direction news travels), labelled with the relation and
    /// coverage; dashed when the direction is not certain, bold for the
    /// primary parent; originals drawn with a double border; related pairs
    /// as dotted lines without arrows.
    pub fn write_dot(&self, w: &mut dyn Write) -> io::Result<()> {
        let originals = self.originals();
        let mut s = String::from(
            "digraph unspun {\n  rankdir=LR;\n  node [shape=box, style=rounded, fontname=\"Helvetica\", fontsize=10];\n  edge [fontname=\"Helvetica\", fontsize=9];\n",
        );
        for (id, n) in &self.nodes {
            let mut label = id.as_str().to_string();
            if let Some(o) = &n.source {
                label.push_str(&format!("\\n{}", dot(o)));
            }
            if let Some(d) = n.date {
                label.push_str(&format!("\\n{d}"));
            }
            let is_original =
                originals.get(id) == Some(id) && self.edges.iter().any(|e| &e.source == id);
            let extra = if is_original { ", peripheries=2" } else { "" };
            let _ = writeln!(
                s,
                "  \"{}\" [label=\"{}\"{extra}];",
                dot(id.as_str()),
                label
            );
        }
        for e in &self.edges {
            let colour = match e.relation {
                crate::EdgeRelation::Copy => "#1f77b4",
                crate::EdgeRelation::Rewrite => "#d62728",
                _ => "#7f7f7f",
            };
            let mut label = format!("{} {:.0}%", e.relation.as_str(), e.coverage * 100.0);
            if let Some(c) = &e.changes {
                if c.quotes_altered > 0 {
                    label.push_str(&format!("\\n{} quote(s) altered", c.quotes_altered));
                }
            }
            if !e.credited {
                label.push_str("\\nno credit");
            }
            let mut style = Vec::new();
            if !e.direction_certain {
                style.push("dashed");
            }
            if e.primary {
                style.push("bold");
            }
            let _ = writeln!(
                s,
                "  \"{}\" -> \"{}\" [label=\"{}\", color=\"{colour}\", fontcolor=\"{colour}\"{}];",
                dot(e.source.as_str()),
                dot(e.derived.as_str()),
                label,
                if style.is_empty() {
                    String::new()
                } else {
                    format!(", style=\"{}\"", style.join(","))
                }
            );
        }
        for (a, b, _) in &self.related {
            let _ = writeln!(
                s,
                "  \"{}\" -> \"{}\" [dir=none, style=dotted, color=\"#999999\", label=\"related\", fontcolor=\"#999999\"];",
                dot(a.as_str()),
                dot(b.as_str())
            );
        }
        s.push_str("}\n");
        w.write_all(s.as_bytes())
    }
}

fn round3(x: f32) -> f64 {
    (f64::from(x) * 1000.0).round() / 1000.0
}

fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 forbids are dropped.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

fn dot(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', " ")
}

/// The JSON Lines object of an edge ([`DerivationGraph::write_jsonl`]).
pub fn edge_line(e: &Edge) -> serde_json::Value {
    let changes = e.changes.as_ref();
    let mut line = json!({
        "type": "edge",
        "derived": e.derived,
        "source": e.source,
        "relation": e.relation,
        "coverage": round3(e.coverage),
        "source_coverage": round3(e.source_coverage),
        "confidence": round3(e.confidence),
        "direction_certain": e.direction_certain,
        "direction_evidence": e.direction_evidence,
        "parent_certain": e.parent_certain,
        "primary": e.primary,
        "credited": e.credited,
        "quotes_altered": changes.map(|c| c.quotes_altered),
        "changes": changes.map(|c| c.changes),
        "major_changes": changes.map(|c| c.major),
        "change_types": changes.map(|c| &c.by_type),
        "attributed": e.attributed,
        "via": e.via,
        "notes": e.notes,
        "evidence": e.evidence.iter().map(|g| json!({
            "derived": g.derived, "source": g.source,
            "kind": g.kind, "score": round3(g.score),
        })).collect::<Vec<_>>(),
    });
    // Only on an edge between two rewrites of a common source: what
    // the derived one carries of the other that the common one lacks.
    if let Some(b) = &e.beyond_common {
        line["beyond_common"] = json!({"common": b.common, "carried": b.carried});
    }
    line
}

/// The JSON Lines object of a related pair ([`DerivationGraph::write_jsonl`]).
pub fn related_line(a: &ArticleId, b: &ArticleId, score: f32) -> serde_json::Value {
    json!({"type": "related", "a": a, "b": b, "score": round3(score)})
}

/// The JSON Lines object of a cluster ([`DerivationGraph::write_jsonl`]).
pub fn cluster_line(c: &Cluster) -> serde_json::Value {
    json!({
        "type": "cluster",
        "cluster": c.cluster,
        "original": c.original,
        "size": c.members.len(),
        "members": c.members,
        "related_originals": c.related_originals,
        "edges": c.edges,
        "also_draws_on": c.also_draws_on,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escapes_markup_and_drops_control_characters() {
        assert_eq!(xml("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;");
        assert_eq!(dot("say \"hi\""), "say \\\"hi\\\"");
    }
}
