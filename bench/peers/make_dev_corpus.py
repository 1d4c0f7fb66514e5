#!/usr/bin/env python3
"""Make a small stand-in corpus for developing the peer benchmark.

What: a corpus directory in the scale benchmark's format, built from real BBC
articles (the bbc-news-2225 data set) plus derived articles made from them:

    OUT/articles.jsonl  {"id", "date", "source", "title", "text"} per line
    OUT/truth.jsonl     {"id", "kind", "parents", "original", "generation",
                         "credited"} per derived article

How: the BBC articles are read in sorted path order and exact duplicate texts
are dropped. The first --sources of a seeded shuffle are used as sources of
derived articles; the next --filler are unrelated filler. Derived articles of
six kinds are made with a seeded random generator (same arguments, same
corpus, byte for byte):

    copy        the text unchanged (title and outlet may change)
    light_edit  ~5% of words swapped or dropped, one sentence dropped,
                a credit or boilerplate line added
    reorder     paragraphs after the first shuffled, sometimes one dropped
    blend       paragraphs taken from 2 or 3 sources, interleaved
    paraphrase  crude lexical paraphrase: a synonym table applied to most
                words it covers, clauses around commas swapped, "said"
                rewritten; far fewer shared word 5-grams than the source
    chain       a light edit of an earlier derived article (generation + 1)

For scale tests, --synthetic-filler N adds N unrelated filler articles, each
made of 8 to 30 sentences drawn at random from all BBC sentences (ids
"syn-..."); they share single sentences with each other but few word 5-grams.

This is only a stand-in: the real corpora come from the project's generator.
Only the Python standard library is used.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

OUTLETS = [
    "Daily Ledger", "Metro Wire", "The Courier", "Evening Post", "News Digest",
    "Global Times Online", "Harbour Herald", "Capital Report", "Tribune Net",
]

# A small synonym table for light edits and the crude paraphrase. Keys are
# lower-case words; the replacement keeps the first letter's case.
SYNONYMS: dict[str, str] = {
    "said": "stated", "says": "states", "told": "informed", "also": "additionally",
    "new": "fresh", "big": "large", "biggest": "largest", "small": "modest",
    "rise": "increase", "rose": "climbed", "fell": "dropped", "fall": "decline",
    "profit": "earnings", "profits": "earnings", "sales": "revenues", "firm": "company",
    "company": "firm", "government": "administration", "minister": "official",
    "plans": "proposals", "plan": "proposal", "year": "twelve months", "week": "seven days",
    "month": "four weeks", "people": "individuals", "added": "continued", "but": "however",
    "however": "but", "because": "since", "after": "following", "before": "ahead of",
    "about": "around", "around": "about", "many": "numerous", "more": "additional",
    "help": "assist", "helped": "assisted", "make": "produce", "made": "produced",
    "show": "indicate", "shows": "indicates", "showed": "indicated", "expected": "anticipated",
    "expect": "anticipate", "think": "believe", "believe": "think", "major": "significant",
    "important": "key", "key": "crucial", "hit": "struck", "win": "victory", "won": "secured",
    "lost": "suffered", "game": "match", "match": "game", "players": "athletes",
    "team": "side", "market": "marketplace", "buy": "purchase", "bought": "acquired",
    "sell": "offload", "sold": "offloaded", "start": "begin", "started": "began",
    "end": "finish", "ended": "finished", "want": "wish", "wanted": "wished",
    "need": "require", "needed": "required", "use": "employ", "used": "employed",
    "film": "movie", "films": "movies", "music": "songs", "top": "leading",
    "very": "highly", "quickly": "rapidly", "recent": "latest", "early": "initial",
    "strong": "robust", "weak": "feeble", "high": "elevated", "low": "reduced",
    "country": "nation", "world": "globe", "report": "study", "warned": "cautioned",
    "called": "urged", "claimed": "asserted", "chief": "head", "executive": "boss",
    "announced": "revealed", "likely": "probable", "problem": "difficulty",
    "problems": "difficulties", "increase": "boost", "cut": "reduce", "cuts": "reductions",
    "deal": "agreement", "talks": "negotiations", "should": "ought to", "could": "might",
    "will": "is set to", "would": "might", "number": "figure", "figures": "data",
}

SENT_RE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'])")
WORD_RE = re.compile(r"\b\w+\b")


@dataclass
class Doc:
    """One article of the corpus, with its lineage if it is derived."""

    id: str
    date: dt.date
    source: str
    title: str
    paragraphs: list[str]
    kind: str | None = None
    parents: list[str] = field(default_factory=list)
    original: list[str] = field(default_factory=list)
    generation: int = 0
    credited: bool = False

    def article(self) -> dict:
        return {"id": self.id, "date": self.date.isoformat(), "source": self.source,
                "title": self.title, "text": "\n\n".join(self.paragraphs)}

    def truth(self) -> dict:
        return {"id": self.id, "kind": self.kind, "parents": self.parents,
                "original": self.original, "generation": self.generation,
                "credited": self.credited}


def read_bbc(root: Path) -> list[tuple[str, str, list[str]]]:
    """(id, title, paragraphs) per BBC file, sorted, exact duplicates dropped."""
    out, seen = [], set()
    for path in sorted(root.glob("*/*.txt")):
        raw = path.read_text(encoding="utf-8", errors="replace").strip()
        lines = raw.split("\n", 1)
        title = lines[0].strip()
        body = lines[1] if len(lines) > 1 else ""
        paras = [p.strip() for p in re.split(r"\n\s*\n", body) if p.strip()]
        key = hashlib.sha1("\n".join(paras).encode()).hexdigest()
        if not paras or key in seen:
            continue
        seen.add(key)
        out.append((f"bbc-{path.parent.name}-{path.stem}", title, paras))
    return out


def keep_case(src: str, repl: str) -> str:
    return repl[0].upper() + repl[1:] if src[:1].isupper() else repl


def swap_words(text: str, rng: random.Random, rate: float) -> str:
    """Replaces words found in SYNONYMS with probability `rate`."""
    def sub(m: re.Match) -> str:
        w = m.group(0)
        r = SYNONYMS.get(w.lower())
        return keep_case(w, r) if r and rng.random() < rate else w
    return WORD_RE.sub(sub, text)


def light_edit(paras: list[str], rng: random.Random) -> list[str]:
    sents = [SENT_RE.split(p) for p in paras]
    flat = [(i, j) for i, ss in enumerate(sents) for j in range(len(ss))]
    if len(flat) > 4:
        i, j = rng.choice(flat[1:])
        sents[i][j] = ""
    out = []
    for ss in sents:
        p = " ".join(s for s in ss if s)
        if p:
            out.append(swap_words(p, rng, 0.25))
    return out


def paraphrase(paras: list[str], rng: random.Random) -> list[str]:
    out = []
    for p in paras:
        new = []
        for s in SENT_RE.split(p):
            s = swap_words(s, rng, 0.9)
            parts = s.rstrip(".").split(", ")
            if len(parts) == 2 and all(parts) and rng.random() < 0.6:
                s = f"{parts[1][0].upper()}{parts[1][1:]}, {parts[0][0].lower()}{parts[0][1:]}."
            # Drop a few short function words to break more 5-grams.
            s = re.sub(r"\b(the|a|an|that|of) (?=\w)",
                       lambda m: "" if rng.random() < 0.35 else m.group(0), s)
            new.append(s)
        out.append(" ".join(new))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bbc", type=Path, default=Path("/work/shared/data/bbc-news-2225/bbc"))
    ap.add_argument("--out", type=Path, default=Path("/tmp/peers-dev"))
    ap.add_argument("--sources", type=int, default=250, help="BBC articles that get derivatives")
    ap.add_argument("--filler", type=int, default=450, help="unrelated BBC articles")
    ap.add_argument("--per-kind", type=int, default=60, help="derived articles per kind")
    ap.add_argument("--synthetic-filler", type=int, default=0,
                    help="extra filler articles of random BBC sentences, for scale tests")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()

    rng = random.Random(args.seed)
    bbc = read_bbc(args.bbc)
    rng.shuffle(bbc)
    bbc = bbc[: args.sources + args.filler]
    start = dt.date(2005, 1, 1)
    base = [Doc(id=i, date=start + dt.timedelta(days=rng.randrange(365)), source="BBC",
                title=t, paragraphs=p) for i, t, p in bbc]
    sources = base[: args.sources]
    derived: list[Doc] = []

    def new_doc(kind: str, parents: list[Doc], paras: list[str], title: str) -> Doc:
        orig: list[str] = []
        for p in parents:
            for o in (p.original or [p.id]):
                if o not in orig:
                    orig.append(o)
        d = Doc(id=f"dev-{len(derived) + 1:05d}",
                date=max(p.date for p in parents) + dt.timedelta(days=rng.randrange(4)),
                source=rng.choice(OUTLETS), title=title, paragraphs=paras, kind=kind,
                parents=[p.id for p in parents], original=orig,
                generation=max(p.generation for p in parents) + 1,
                credited=rng.random() < 0.5)
        if d.credited:
            d.paragraphs = d.paragraphs + [f"This story first appeared in {parents[0].source}."]
        derived.append(d)
        return d

    for _ in range(args.per_kind):
        s = rng.choice(sources)
        new_doc("copy", [s], list(s.paragraphs), s.title)
    for _ in range(args.per_kind):
        s = rng.choice(sources)
        new_doc("light_edit", [s], light_edit(s.paragraphs, rng), swap_words(s.title, rng, 0.5))
    for _ in range(args.per_kind):
        s = rng.choice(sources)
        rest = s.paragraphs[1:]
        rng.shuffle(rest)
        if len(rest) > 3 and rng.random() < 0.5:
            rest.pop()
        new_doc("reorder", [s], s.paragraphs[:1] + rest, s.title)
    for _ in range(args.per_kind):
        ps = rng.sample(sources, rng.choice([2, 3]))
        paras = []
        for k in range(max(len(p.paragraphs) for p in ps)):
            for p in ps:
                if k < len(p.paragraphs) and rng.random() < 0.6:
                    paras.append(p.paragraphs[k])
        new_doc("blend", ps, paras or ps[0].paragraphs[:2], ps[0].title)
    for _ in range(args.per_kind):
        s = rng.choice(sources)
        new_doc("paraphrase", [s], paraphrase(s.paragraphs, rng), swap_words(s.title, rng, 0.9))
    chainable = [d for d in derived if d.kind in ("copy", "light_edit", "reorder")]
    for _ in range(args.per_kind):
        p = rng.choice(chainable)
        d = new_doc("chain", [p], light_edit(p.paragraphs, rng), p.title)
        chainable.append(d)

    synthetic: list[Doc] = []
    if args.synthetic_filler:
        pool = [s for _, _, ps in read_bbc(args.bbc) for p in ps for s in SENT_RE.split(p)]
        for k in range(args.synthetic_filler):
            sents = rng.choices(pool, k=rng.randint(8, 30))
            paras = [" ".join(sents[j:j + 3]) for j in range(0, len(sents), 3)]
            synthetic.append(Doc(id=f"syn-{k + 1:07d}",
                                 date=start + dt.timedelta(days=rng.randrange(365)),
                                 source=rng.choice(OUTLETS), title=sents[0][:80],
                                 paragraphs=paras))
    docs = base + derived + synthetic
    rng.shuffle(docs)
    args.out.mkdir(parents=True, exist_ok=True)
    with open(args.out / "articles.jsonl", "w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps(d.article(), ensure_ascii=False) + "\n")
    with open(args.out / "truth.jsonl", "w", encoding="utf-8") as f:
        for d in derived:
            f.write(json.dumps(d.truth(), ensure_ascii=False) + "\n")
    print(f"{args.out}: {len(docs)} articles ({len(base)} BBC, {len(derived)} derived, "
          f"{len(synthetic)} synthetic filler)")


if __name__ == "__main__":
    main()
