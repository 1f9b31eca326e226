#!/usr/bin/env python3
"""Trains promptctl's built-in pt-BR moderation model on ToLD-Br and writes it where the Swift code loads it.

ToLD-Br (Leite, Silva, Bontcheva and Scarton, AACL-IJCNLP 2020), CC BY-SA 4.0. A tweet is toxic when any of its six
categories has 2 or more of 3 annotator flags. The model is a logistic regression over hashed word and character
n-grams; the feature extraction below is mirrored exactly by Sources/PromptctlGuards/BuiltinModeration.swift.

    python3 scripts/train-moderation.py ../shared/data/told-br/told-br-dev.csv

Writes Sources/PromptctlGuards/Resources/moderation/{model.json,weights.bin} and prints cross-validated
precision, recall and macro-F1 (docs/moderation.md records them).
"""
import csv, json, math, struct, sys, unicodedata, re, os
import numpy as np
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.metrics import precision_recall_fscore_support, f1_score

DIM = 1 << 18
CATEGORY_DIM = 1 << 16
CATEGORIES = ["homophobia", "obscene", "insult", "racism", "misogyny", "xenophobia"]

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
    return re.findall(r"[a-z0-9]+", fold(text))

def fnv1a(s):
    h = 0x811C9DC5
    for b in s.encode("utf-8"):
        h ^= b
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h

def features(text, dim):
    counts = {}
    toks = [t for t in tokens(text) if t != "user"]
    feats = ["w:" + t for t in toks] + ["b:" + a + " " + b for a, b in zip(toks, toks[1:])]
    for t in toks:
        padded = "#" + t + "#"
        for n in (3, 4, 5):
            feats += ["c:" + padded[i:i + n] for i in range(0, max(0, len(padded) - n + 1))]
    for f in feats:
        i = fnv1a(f) % dim
        counts[i] = counts.get(i, 0) + 1
    values = {i: 1.0 + math.log(c) for i, c in counts.items()}
    norm = math.sqrt(sum(v * v for v in values.values())) or 1.0
    return {i: v / norm for i, v in values.items()}

def matrix(texts, dim):
    rows, cols, vals = [], [], []
    for r, t in enumerate(texts):
        for i, v in features(t, dim).items():
            rows.append(r); cols.append(i); vals.append(v)
    return csr_matrix((vals, (rows, cols)), shape=(len(texts), dim), dtype=np.float64)

def best_threshold(y, p):
    best = (0.5, 0.0)
    for t in np.arange(0.2, 0.8, 0.01):
        f = f1_score(y, p >= t, average="macro")
        if f > best[1]:
            best = (float(t), float(f))
    return best

def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "../shared/data/told-br/told-br-dev.csv"
    rows = list(csv.DictReader(open(path, encoding="utf-8")))
    texts = [r["text"] for r in rows]
    y = np.array([1 if any(int(float(r[c])) >= 2 for c in CATEGORIES) else 0 for r in rows])
    X = matrix(texts, DIM)
    C = float(os.environ.get("MODERATION_C", "4.0"))
    # Out-of-fold probabilities: an honest estimate on rows the model did not see.
    oof = np.zeros(len(y))
    for train, test in StratifiedKFold(n_splits=5, shuffle=True, random_state=7).split(X, y):
        model = LogisticRegression(C=C, class_weight="balanced", max_iter=2000, solver="liblinear")
        model.fit(X[train], y[train])
        oof[test] = model.predict_proba(X[test])[:, 1]
    threshold, _ = best_threshold(y, oof)
    p, r, f, _ = precision_recall_fscore_support(y, oof >= threshold, labels=[0, 1])
    macro = f1_score(y, oof >= threshold, average="macro")
    print(json.dumps({"rows": len(y), "toxic": int(y.sum()), "C": C, "threshold": threshold,
                      "precision": {"non_toxic": p[0], "toxic": p[1]}, "recall": {"non_toxic": r[0], "toxic": r[1]},
                      "f1": {"non_toxic": f[0], "toxic": f[1]}, "macro_f1": macro}, indent=2))
    final = LogisticRegression(C=C, class_weight="balanced", max_iter=2000, solver="liblinear").fit(X, y)
    out = "Sources/PromptctlGuards/Resources/moderation"
    os.makedirs(out, exist_ok=True)
    weights = [final.coef_[0].astype("<f4")]
    biases = [float(final.intercept_[0])]
    Xc = matrix(texts, CATEGORY_DIM)
    for c in CATEGORIES:
        yc = np.array([1 if int(float(r[c])) >= 2 else 0 for r in rows])
        m = LogisticRegression(C=C, class_weight="balanced", max_iter=2000, solver="liblinear").fit(Xc, yc)
        weights.append(m.coef_[0].astype("<f4"))
        biases.append(float(m.intercept_[0]))
    with open(f"{out}/weights.bin", "wb") as fh:
        for w in weights:
            fh.write(w.tobytes())
    json.dump({"format": 1, "dimension": DIM, "category_dimension": CATEGORY_DIM, "categories": CATEGORIES,
               "bias": biases[0], "category_biases": biases[1:], "threshold": threshold,
               "cross_validated": {"macro_f1": macro, "precision_toxic": p[1], "recall_toxic": r[1]},
               "data": "ToLD-Br (Leite et al., 2020), CC BY-SA 4.0", "rows": len(y)},
              open(f"{out}/model.json", "w"), indent=2)
    # A few texts with their probabilities, so the Swift port can be checked against this script.
    probe = [texts[i] for i in range(0, len(texts), 700)][:10]
    Xp = matrix(probe, DIM)
    json.dump([{"text": t, "probability": float(pp)} for t, pp in zip(probe, final.predict_proba(Xp)[:, 1])],
              open(f"{out}/probe.json", "w"), ensure_ascii=False, indent=1)

if __name__ == "__main__":
    main()
