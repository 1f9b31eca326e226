#!/usr/bin/env python3
"""Trains promptctl's built-in pt-BR moderation model on ToLD-Br and writes it where the Swift code loads it.

ToLD-Br (Leite, Silva, Bontcheva and Scarton, AACL-IJCNLP 2020), CC BY-SA 4.0. A tweet is toxic when any of its six
categories has 2 or more of 3 annotator flags.

The toxicity model is a ridge regression on a soft target, the share of annotator flags (all six categories summed,
capped at 3, over 3), over hashed binary word unigrams and bigrams and character 2-6-grams of each word. Using how
many annotators agreed, rather than only the 2-of-3 label, is what lifted it over the logistic regression it
replaces (docs/moderation.md). Six one-vs-rest logistic regressions on the same features name the categories. The
feature extraction below is mirrored exactly by Sources/PromptctlGuards/BuiltinModeration.swift.

    python3 scripts/train-moderation.py ../shared/data/told-br/told-br-dev.csv

Writes Sources/PromptctlGuards/Resources/moderation/{model.json,weights.bin,probe.json} and prints cross-validated
precision, recall and macro-F1 of the model, and of the decision `promptctl guard moderate` makes with it.
"""
import csv, json, math, os, re, sys, unicodedata
import numpy as np
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import StratifiedKFold
from sklearn.metrics import precision_recall_fscore_support, f1_score

DIM = 1 << 18
CATEGORY_DIM = 1 << 16
CATEGORIES = ["homophobia", "obscene", "insult", "racism", "misogyny", "xenophobia"]
ALPHA = float(os.environ.get("MODERATION_ALPHA", "1.0"))
SEEDS = (7, 1, 2)

def fold(text):
    text = unicodedata.normalize("NFD", text)
    text = "".join(c for c in text if not (0x300 <= ord(c) <= 0x36F)).lower()
    out, last, run = [], "", 0
    for c in text:  # squeeze runs longer than two ("kkkkk" -> "kk")
        run = run + 1 if c == last else 1
        last = c
        if run <= 2:
            out.append(c)
    return "".join(out)

def tokens(text):
    return [t for t in re.findall(r"[a-z0-9]+", fold(text)) if t != "user"]

def fnv1a(s):
    h = 0x811C9DC5
    for b in s.encode("utf-8"):
        h ^= b
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h

def features(text, dim):
    """Indices present (binary), L2-normalised: every present feature weighs 1/sqrt(count)."""
    toks = tokens(text)
    names = ["w:" + t for t in toks] + ["b:" + a + " " + b for a, b in zip(toks, toks[1:])]
    for t in toks:
        padded = "#" + t + "#"
        for n in (2, 3, 4, 5, 6):
            names += ["c:" + padded[i:i + n] for i in range(0, max(0, len(padded) - n + 1))]
    present = sorted({fnv1a(f) % dim for f in names})
    value = 1.0 / math.sqrt(len(present)) if present else 0.0
    return {i: value for i in present}

def matrix(texts, dim):
    rows, cols, vals = [], [], []
    for r, t in enumerate(texts):
        for i, v in features(t, dim).items():
            rows.append(r); cols.append(i); vals.append(v)
    return csr_matrix((vals, (rows, cols)), shape=(len(texts), dim), dtype=np.float64)

def best_threshold(y, scores):
    candidates = np.quantile(scores, np.linspace(0.5, 0.97, 95))
    return max(((float(t), f1_score(y, scores >= t, average="macro")) for t in candidates), key=lambda p: p[1])

def lexicon_flags(texts):
    """The lexicon categories that flag Portuguese text on their own (see BuiltinModeration.swift): threats."""
    import yaml
    lexicon = yaml.safe_load(open("Sources/PromptctlGuards/Resources/moderation/lexicon.yaml", encoding="utf-8"))
    terms = [t for c in lexicon["categories"] if c["name"] == "threat" for t in c["terms"]]
    phrases = [" " + " ".join(tokens(t.rstrip("*"))) + ("" if t.endswith("*") else " ") for t in terms]
    return np.array([any(p in " " + " ".join(tokens(text)) + " " for p in phrases) for text in texts])

def report(name, y, predicted):
    p, r, f, _ = precision_recall_fscore_support(y, predicted, labels=[0, 1], zero_division=0)
    return {"name": name, "macro_f1": f1_score(y, predicted, average="macro"),
            "precision": {"non_toxic": p[0], "toxic": p[1]}, "recall": {"non_toxic": r[0], "toxic": r[1]},
            "f1": {"non_toxic": f[0], "toxic": f[1]}}

def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "../shared/data/told-br/told-br-dev.csv"
    rows = list(csv.DictReader(open(path, encoding="utf-8")))
    texts = [r["text"] for r in rows]
    flags = np.array([[int(float(r[c])) for c in CATEGORIES] for r in rows])
    y = (flags.max(axis=1) >= 2).astype(int)
    target = np.minimum(flags.sum(axis=1), 3) / 3.0
    X = matrix(texts, DIM)
    # Out-of-fold scores, on three different splits: an honest estimate on rows each model did not see, and
    # a sense of how much it moves with the split. The threshold is chosen once on the first split's scores.
    runs = []
    for seed in SEEDS:
        oof = np.zeros(len(y))
        for train, test in StratifiedKFold(n_splits=5, shuffle=True, random_state=seed).split(X, y):
            oof[test] = Ridge(alpha=ALPHA).fit(X[train], target[train]).predict(X[test])
        runs.append(oof)
    threshold, _ = best_threshold(y, runs[0])
    lexicon = lexicon_flags(texts)
    model_only = [report(f"model, split seed {s}", y, oof >= threshold) for s, oof in zip(SEEDS, runs)]
    decision = [report(f"guard moderate decision, split seed {s}", y, (oof >= threshold) | lexicon)
                for s, oof in zip(SEEDS, runs)]
    summary = {"rows": len(y), "toxic": int(y.sum()), "alpha": ALPHA, "threshold": threshold,
               "model": model_only, "decision": decision,
               "lexicon_threat_hits": int(lexicon.sum())}
    print(json.dumps(summary, indent=2))
    final = Ridge(alpha=ALPHA).fit(X, target)
    out = "Sources/PromptctlGuards/Resources/moderation"
    os.makedirs(out, exist_ok=True)
    weights = [final.coef_.astype("<f4")]
    biases = [float(final.intercept_)]
    Xc = matrix(texts, CATEGORY_DIM)
    for c in CATEGORIES:
        yc = (flags[:, CATEGORIES.index(c)] >= 2).astype(int)
        m = LogisticRegression(C=4.0, class_weight="balanced", max_iter=2000, solver="liblinear").fit(Xc, yc)
        weights.append(m.coef_[0].astype("<f4"))
        biases.append(float(m.intercept_[0]))
    with open(f"{out}/weights.bin", "wb") as fh:
        for w in weights:
            fh.write(w.tobytes())
    macro = [r["macro_f1"] for r in model_only]
    json.dump({"format": 2, "kind": "ridge on the share of annotator flags", "dimension": DIM,
               "category_dimension": CATEGORY_DIM, "categories": CATEGORIES,
               "bias": biases[0], "category_biases": biases[1:], "threshold": threshold,
               "cross_validated": {"macro_f1": macro[0], "macro_f1_range": [min(macro), max(macro)],
                                   "precision_toxic": model_only[0]["precision"]["toxic"],
                                   "recall_toxic": model_only[0]["recall"]["toxic"]},
               "data": "ToLD-Br (Leite et al., 2020), CC BY-SA 4.0", "rows": len(y)},
              open(f"{out}/model.json", "w"), indent=2)
    # A few texts with their scores, so the Swift port can be checked against this script.
    probe = [texts[i] for i in range(0, len(texts), 700)][:10] + ["Você é uma idiota, sua vagabunda!!!", "kkkkkk"]
    json.dump([{"text": t, "score": float(s)} for t, s in zip(probe, final.predict(matrix(probe, DIM)))],
              open(f"{out}/probe.json", "w"), ensure_ascii=False, indent=1)

if __name__ == "__main__":
    main()
