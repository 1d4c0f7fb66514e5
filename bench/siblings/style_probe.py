"""Does a text's wording tell a machine rewrite from its human original? A
direction signal for same-day siblings (issue 14, setting (b)), measured, not
built.

A naive-Bayes word model (unigram log-odds of LLM rewrite against human text,
add-one smoothing, words in ten or more texts) is trained on three l2r-dev
domains and tested on the fourth (leave one domain out); a text's score is its
mean log-odds per word. Printed per held-out domain: how often a rewrite scores
above its human text ("pairwise"), and how often the human text scores lowest
among the candidates a rewrite's trace sees (the human text and the two other
index-aligned rewrites). Then the model trained on all four domains is applied
to llm-rewrites-dev: 80 real Reuters and BBC stories and their whole-article AI
rewrites, written from another brief by another model.

Run: python3 bench/siblings/style_probe.py [../shared/data]
"""
import collections
import json
import math
import re
import sys

base = sys.argv[1] if len(sys.argv) > 1 else '../shared/data'
DOMAINS = ['EducationMaterial', 'Environmental', 'GovernmentPublic', 'Sports']
MODELS = ['GPT-3-Turbo', 'GPT-4o', 'Llama-3-70B']  # index-aligned with human.json
TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?")


def words(text):
    return TOKEN.findall(text.lower())


def families(domain):
    human = json.load(open(f'{base}/l2r-dev/{domain}/human.json'))
    rewrites = {m: json.load(open(f'{base}/l2r-dev/{domain}/{m}.json')) for m in MODELS}
    out = []
    for i, text in enumerate(human):
        if len(words(text)) < 15:
            continue
        rs = [rewrites[m][i] for m in MODELS
              if i < len(rewrites[m]) and len(words(rewrites[m][i])) >= 15]
        out.append((text, rs))
    return out


def train(human_texts, machine_texts):
    counts = {'h': collections.Counter(), 'm': collections.Counter()}
    df = collections.Counter()
    for side, texts in (('h', human_texts), ('m', machine_texts)):
        for t in texts:
            w = words(t)
            counts[side].update(w)
            df.update(set(w))
    nh, nm = sum(counts['h'].values()), sum(counts['m'].values())
    vocab = set(counts['h']) | set(counts['m'])
    v = len(vocab)
    return {w: math.log((counts['m'][w] + 1) / (nm + v)) - math.log((counts['h'][w] + 1) / (nh + v))
            for w in vocab if df[w] >= 10}


def score(model, text):
    w = words(text)
    return sum(model.get(x, 0.0) for x in w) / max(1, len(w))


def evaluate(model, fams):
    above = pairs = lowest = traces = 0
    for human, rs in fams:
        sh = score(model, human)
        srs = [score(model, r) for r in rs]
        above += sum(s > sh for s in srs)
        pairs += len(srs)
        for i in range(len(rs)):
            cands = [sh] + [s for j, s in enumerate(srs) if j != i]
            if len(cands) > 1:
                traces += 1
                lowest += min(cands) == sh
    return above / pairs, lowest / traces


fam = {d: families(d) for d in DOMAINS}
print('| held-out domain | rewrite scores above its human text | human text lowest among a trace\'s candidates |')
print('|---|---:|---:|')
for test in DOMAINS:
    train_fams = [f for d in DOMAINS if d != test for f in fam[d]]
    model = train([h for h, _ in train_fams], [r for _, rs in train_fams for r in rs])
    pairwise, first = evaluate(model, fam[test])
    print(f'| {test} | {pairwise:.3f} | {first:.3f} |')
all_fams = [f for d in DOMAINS for f in fam[d]]
model = train([h for h, _ in all_fams], [r for _, rs in all_fams for r in rs])
news = [json.loads(line) for line in open(f'{base}/llm-rewrites-dev/rewrites.jsonl')]
above = sum(score(model, n['rewrite']) > score(model, n['original']) for n in news)
print(f'\nllm-rewrites-dev: rewrite scores above its original in {above} of {len(news)}')
