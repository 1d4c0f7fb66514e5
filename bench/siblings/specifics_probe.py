"""Is the original of an l2r-dev family the member whose specifics cover the
others'? A direction signal for same-day siblings (issue 14), measured, not built.

For each family of four index-aligned texts (human, GPT-3.5, GPT-4o, Llama; the
Gemini lists are not index-aligned and are left out), each member's set of
words of one class (figures; figures and capitalised words not after a full
stop; figures and rare words, idf > 5 over all texts; all words) is taken. A
member's score is how much of the others' sets it holds minus how much of its
own set the others hold. Prints how often the human text alone scores highest
(chance: 0.25).

Run: python3 bench/siblings/specifics_probe.py [../shared/data/l2r-dev]
"""
import sys
import json, re, math, collections
base = sys.argv[1] if len(sys.argv) > 1 else '../shared/data/l2r-dev'
doms=['EducationMaterial','Environmental','GovernmentPublic','Sports']
models=['human','GPT-3-Turbo','GPT-4o','Llama-3-70B']
fams=[]
for d in doms:
    cols={m:json.load(open(f'{base}/{d}/{m}.json')) for m in models}
    for i in range(len(cols['human'])): fams.append([cols[m][i] for m in models])
# df over all texts
def words(t): return re.findall(r"[A-Za-z0-9][A-Za-z0-9'.,%-]*[A-Za-z0-9%]|[A-Za-z0-9]", t)
def norm(w): return w.lower().strip(".,")
df=collections.Counter()
alltexts=[t for f in fams for t in f]
for t in alltexts: df.update(set(norm(w) for w in words(t)))
N=len(alltexts)
def spec(t, mode):
    ws=words(t); out=set()
    for k,w in enumerate(ws):
        n=norm(w)
        if mode=='num' and re.search(r'\d',w): out.add(n)
        elif mode=='cap' and (re.search(r'\d',w) or (w[0].isupper() and k>0 and not ws[k-1].endswith('.'))): out.add(n)
        elif mode=='rare' and (re.search(r'\d',w) or math.log(N/df[n])>5.0): out.add(n)
        elif mode=='all': out.add(n)
    return out
for mode in ['num','cap','rare','all']:
    first=0; ties=0; tot=0
    for f in fams:
        S=[spec(t,mode) for t in f]
        # score: sum over others of |S_j ∩ S_i| / |S_j|  (coverage of others by i) minus coverage of i by others?
        sc=[]
        for i in range(4):
            cov=sum(len(S[j]&S[i])/max(1,len(S[j])) for j in range(4) if j!=i)
            covby=sum(len(S[i]&S[j])/max(1,len(S[i])) for j in range(4) if j!=i)
            sc.append(cov-covby)
        m=max(sc); tot+=1
        if sc[0]==m:
            if sc.count(m)>1: ties+=1
            else: first+=1
    print(mode, 'human uniquely top', first/tot, 'tie', ties/tot)
