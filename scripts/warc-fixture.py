"""Writes the article-extraction-benchmark's 181 pages into one WARC with
warcio (an independent writer), for the test that the WARC reader gives the
same articles as the HTML reader (crates/article/tests/warc_equivalence.rs).

Usage: warc-fixture.py BENCH_DIR OUT.warc.gz [REPEAT]

REPEAT (default 1) writes the pages that many times, copy k at the URL with
`#copy-k` appended: scripts/warc-bench.sh makes a ~1 GB WARC this way to
measure the reader's memory on a large crawl.

Every page becomes a `response` record whose target URI is the page's URL in
ground-truth.json, captured 2020-01-15. The HTTP message varies by page so
that every path of the reader is exercised: one page in three is sent with
`Content-Encoding: gzip` (the saved .gz bytes as they are), one in three
with chunked transfer encoding, the rest plain. No charset is put in the
headers: the page's own <meta charset> decides, as for the HTML file.
"""
import gzip
import io
import json
import sys
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter


def chunked(body: bytes, size: int = 4096) -> bytes:
    out = io.BytesIO()
    for i in range(0, len(body), size):
        piece = body[i : i + size]
        out.write(b"%x\r\n" % len(piece) + piece + b"\r\n")
    out.write(b"0\r\n\r\n")
    return out.getvalue()


def main() -> None:
    bench, out = Path(sys.argv[1]), Path(sys.argv[2])
    repeat = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    truth = json.loads((bench / "ground-truth.json").read_text(encoding="utf-8"))
    tmp = out.with_suffix(".tmp")
    with open(tmp, "wb") as f:
        writer = WARCWriter(f, gzip=True)
        pages = sorted((bench / "html").glob("*.html.gz")) * repeat
        for i, page in enumerate(pages):
            copy = i // (len(pages) // repeat)
            page_hash = page.name[: -len(".html.gz")]
            raw_gz = page.read_bytes()
            headers = [("Content-Type", "text/html")]
            if i % 3 == 0:
                body = raw_gz
                headers.append(("Content-Encoding", "gzip"))
            elif i % 3 == 1:
                body = chunked(gzip.decompress(raw_gz))
                headers.append(("Transfer-Encoding", "chunked"))
            else:
                body = gzip.decompress(raw_gz)
            headers.append(("X-Bench-Page", page_hash))
            http = StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1")
            url = truth[page_hash]["url"]
            if copy > 0:
                url += f"#copy-{copy}"
            record = writer.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(body),
                http_headers=http,
                warc_headers_dict={"WARC-Date": "2020-01-15T12:00:00Z"},
            )
            writer.write_record(record)
    tmp.replace(out)


if __name__ == "__main__":
    main()
