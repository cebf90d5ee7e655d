#!/usr/bin/python3
"""A reference for the abuse detector's English figures: what a well-tuned bag of n-grams gives.

    /usr/bin/python3 tools/abuse_reference.py [DATA_DIR]      (default: ../shared/data/abuse)

Needs scikit-learn (Debian: python3-sklearn), which nothing else in the
repository does. On en_dev.tsv, runs of @user made one as the detector does,
it cross-validates (5 stratified folds, a fixed seed) TF-IDF of word 1- and
2-grams and of character 2- to 5-grams within words (sublinear counts, at
least 2 texts each) under logistic regression (classes balanced, C 1 and 4)
and a linear SVM (C 0.1), and prints each one's macro-F1 at its own decision
threshold and at the best threshold of its cross-validated scores (chosen on
the same scores, so a little optimistic). docs/FILTERS.md compares them with
the detector's.
"""
import csv
import pathlib
import re
import sys

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline, make_union
from sklearn.svm import LinearSVC


def load(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))[1:]
    labels = np.array([int(r[0]) for r in rows])
    texts = [re.sub(r"(@user\s*)+", "@user ", r[1], flags=re.IGNORECASE) for r in rows]
    return texts, labels


def ngrams():
    return make_union(
        TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2))


def main() -> int:
    here = pathlib.Path(__file__).resolve().parent.parent
    data = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else here / "../shared/data/abuse"
    texts, labels = load(data / "en_dev.tsv")
    folds = StratifiedKFold(5, shuffle=True, random_state=1)
    models = [("logistic regression, C 1", LogisticRegression(C=1, max_iter=2000,
                                                               class_weight="balanced")),
              ("logistic regression, C 4", LogisticRegression(C=4, max_iter=2000,
                                                               class_weight="balanced")),
              ("linear SVM, C 0.1", LinearSVC(C=0.1, class_weight="balanced"))]
    print(f"{len(texts)} English texts, 5 folds")
    print("| model | macro-F1 | at the best threshold |")
    print("|---|---:|---:|")
    for name, model in models:
        scores = cross_val_predict(make_pipeline(ngrams(), model), texts, labels, cv=folds,
                                   method="decision_function", n_jobs=2)
        best = max(f1_score(labels, scores > t, average="macro")
                   for t in np.quantile(scores, np.linspace(0.3, 0.9, 61)))
        print(f"| {name} | {f1_score(labels, scores > 0, average='macro'):.3f} | {best:.3f} |",
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
