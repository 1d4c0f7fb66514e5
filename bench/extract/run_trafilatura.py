#!/usr/bin/env python3
"""trafilatura on the article-extraction-benchmark pages, as the peer of
unspun's HTML reader (scripts/extract-bench.sh runs both).

    run_trafilatura.py HTML_DIR OUT_JSON

Writes {"version": "trafilatura X", "output": {hash: {"articleBody": ...,
"headline": ..., "datePublished": ...}}}, the form the benchmark's evaluate.py
reads (score_metadata.py reads the other two). Each page is decoded as trafilatura
decodes bytes itself, and extracted with trafilatura.extract(html,
include_comments=False): comments are not article text. Headline and date
come from trafilatura.extract_metadata (htmldate for the date).
"""
import gzip
import json
import sys
import time
from pathlib import Path

import trafilatura


def main() -> None:
    html_dir, out = Path(sys.argv[1]), Path(sys.argv[2])
    output = {}
    start = time.perf_counter()
    pages = sorted(html_dir.glob("*.html.gz"))
    for page in pages:
        raw = gzip.decompress(page.read_bytes())
        text = trafilatura.extract(raw, include_comments=False) or ""
        meta = trafilatura.extract_metadata(raw)
        output[page.name[: -len(".html.gz")]] = {
            "articleBody": text,
            "headline": meta.title if meta else None,
            "datePublished": meta.date if meta else None,
        }
    ms = (time.perf_counter() - start) * 1000 / len(pages)
    out.write_text(json.dumps({"version": f"trafilatura {trafilatura.__version__}", "output": output}))
    print(f"run_trafilatura: {len(pages)} pages, {ms:.1f} ms/page")


if __name__ == "__main__":
    main()
