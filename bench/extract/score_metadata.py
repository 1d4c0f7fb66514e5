#!/usr/bin/env python3
"""Headline and publication date, scored on the article-extraction-benchmark
pages that carry them in their metadata (scripts/extract-bench.sh runs this
after evaluate.py).

    score_metadata.py HTML_DIR OUTPUT_DIR

The benchmark's ground truth has only the body and the URL, so the truth
here is what each page declares about itself, read with lxml independently
of both extractors:

* headline: JSON-LD `headline` (any object), `og:title`, `twitter:title`,
  `itemprop="headline"`. A page with none of them is not scored (its
  `<title>` often carries the site's name and is not a headline).
* date: JSON-LD `datePublished`, `article:published_time`,
  `itemprop="datePublished"`, and the `pubdate`, `publishdate`,
  `date`, `dc.date`, `dc.date.issued`, `dcterms.created`, `parsely-pub-date`
  and `sailthru.date` meta names, each parsed with python-dateutil; the
  calendar day as written (no time-zone shift). A page with no parseable
  one is not scored.

A prediction is right when it equals one of the page's values: headlines
after Unicode (NFKC) and entity normalisation, case and white space folded;
dates on the same day. The table counts, per extractor (every
OUTPUT_DIR/*.json with `headline` and `datePublished` fields): right,
wrong, and missing.
"""
import gzip
import html
import json
import re
import sys
import unicodedata
import warnings
from pathlib import Path

import lxml.html
from dateutil import parser as dateparser

DATE_META_NAMES = {
    "pubdate", "publishdate", "date", "dc.date", "dc.date.issued",
    "dcterms.created", "parsely-pub-date", "sailthru.date",
}


def json_ld_values(doc, key):
    """Every string value of `key` in the page's JSON-LD, at any depth."""
    found = []

    def walk(v):
        if isinstance(v, dict):
            for k, x in v.items():
                if k == key and isinstance(x, str):
                    found.append(x)
                else:
                    walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)

    for script in doc.xpath('//script[@type="application/ld+json"]'):
        try:
            walk(json.loads(script.text_content(), strict=False))
        except ValueError:
            continue
    return found


def metas(doc, attr, names):
    out = []
    for el in doc.xpath("//meta"):
        if (el.get(attr) or "").strip().lower() in names and el.get("content"):
            out.append(el.get("content"))
    return out


def norm_headline(s):
    s = unicodedata.normalize("NFKC", html.unescape(s))
    s = s.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", s).strip().casefold()


def day(value):
    """The calendar day of a date string as written, or None. Years before
    1900 are a CMS's placeholders (`0001-01-01`), not dates."""
    try:
        with warnings.catch_warnings():
            # "EST" is read as a time zone name it cannot place: the day as
            # written is all that is scored.
            warnings.simplefilter("ignore")
            parsed = dateparser.parse(value.strip(), fuzzy=False).date()
    except (ValueError, OverflowError, TypeError):
        return None
    return parsed.isoformat() if parsed.year >= 1900 else None


def decode(raw):
    """The page as text: UTF-8 when it is valid UTF-8, else the charset its
    <meta> names, else Windows-1252."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    m = re.search(rb'charset=["\']?([A-Za-z0-9_-]+)', raw[:4096])
    try:
        return raw.decode(m.group(1).decode() if m else "cp1252", errors="replace")
    except LookupError:
        return raw.decode("cp1252", errors="replace")


def page_truth(raw):
    doc = lxml.html.fromstring(decode(raw))
    heads = json_ld_values(doc, "headline")
    heads += metas(doc, "property", {"og:title"}) + metas(doc, "name", {"og:title", "twitter:title"})
    heads += metas(doc, "property", {"twitter:title"})
    heads += [el.get("content") or el.text_content() for el in doc.xpath('//*[@itemprop="headline"]')]
    heads = {norm_headline(h) for h in heads if h and h.strip()}
    dates = json_ld_values(doc, "datePublished")
    dates += metas(doc, "property", {"article:published_time"}) + metas(doc, "name", {"article:published_time"})
    dates += [el.get("content") or el.get("datetime") or "" for el in doc.xpath('//*[@itemprop="datePublished"]')]
    dates += metas(doc, "name", DATE_META_NAMES)
    days = {d for d in (day(v) for v in dates if v) if d}
    return heads, days


def main():
    html_dir, out_dir = Path(sys.argv[1]), Path(sys.argv[2])
    truth = {}
    for page in sorted(html_dir.glob("*.html.gz")):
        truth[page.name[: -len(".html.gz")]] = page_truth(gzip.decompress(page.read_bytes()))
    n_heads = sum(1 for h, _ in truth.values() if h)
    n_dates = sum(1 for _, d in truth.values() if d)
    n_split = sum(1 for _, d in truth.values() if len(d) > 1)
    print(f"pages: {len(truth)}; with a headline in their metadata: {n_heads}; "
          f"with a publication date: {n_dates} ({n_split} whose values name more than one day)")
    print(f"{'':<14} {'headline right':>15} {'wrong':>6} {'missing':>8}   {'date right':>11} {'wrong':>6} {'missing':>8}")
    for path in sorted(out_dir.glob("*.json")):
        output = json.loads(path.read_text())["output"]
        h = [0, 0, 0]
        d = [0, 0, 0]
        wrong = []
        for key, (heads, days) in truth.items():
            pred = output.get(key, {})
            if heads:
                got = pred.get("headline")
                slot = 2 if not got else (0 if norm_headline(got) in heads else 1)
                h[slot] += 1
                if slot == 1:
                    wrong.append(f"  headline {key[:8]}: {got!r} not in {sorted(heads)}")
            if days:
                got = pred.get("datePublished")
                got = day(got) if got else None
                slot = 2 if not got else (0 if got in days else 1)
                d[slot] += 1
                if slot == 1:
                    wrong.append(f"  date     {key[:8]}: {got} not in {sorted(days)}")
        print(f"{path.stem:<14} {h[0]:>9}/{n_heads:<5} {h[1]:>6} {h[2]:>8}   {d[0]:>5}/{n_dates:<5} {d[1]:>6} {d[2]:>8}")
        if "-v" in sys.argv:
            print("\n".join(wrong))


if __name__ == "__main__":
    main()
