"""Training the intent model with scikit-learn, and exporting it to ``LinearIntentModel``.

TF-IDF word and character n-grams into a calibrated linear SVM. Word n-grams catch phrasing
("cancel my", "baat karao"); character n-grams within word boundaries survive typos ("cancle",
"reserv") and Devanagari spelling variants. A linear SVM with sigmoid calibration (5-fold)
scored best on the held-out split (a logistic regression was about 0.02 macro-F1 lower) and
gives probabilities to fall back to UNKNOWN when unsure.

Only training imports scikit-learn; the bot answers with the exported arrays
(``bot.nlu.linear``). ``python -m bot.nlu.training CORPUS CACHE`` trains and writes the cache:
``bot.nlu.classifier`` runs it as a child process, so the process that answers never loads
scikit-learn (not even the one that finds the cache missing).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.svm import LinearSVC
from threadpoolctl import threadpool_limits

from bot.nlu.classifier import write_cache
from bot.nlu.corpus import Utterance, load_corpus
from bot.nlu.linear import LinearIntentModel, TfidfBlock
from bot.nlu.normalize import normalize, tokens


def build_pipeline() -> Pipeline:
    """An unfitted pipeline: word 1-2 grams + char_wb 2-5 grams → calibrated linear SVM."""
    words = TfidfVectorizer(
        preprocessor=normalize,
        tokenizer=tokens,
        token_pattern=None,
        lowercase=True,
        ngram_range=(1, 2),
        sublinear_tf=True,
    )
    chars = TfidfVectorizer(
        preprocessor=normalize,
        analyzer="char_wb",
        lowercase=True,
        ngram_range=(2, 5),
        sublinear_tf=True,
    )
    # Sigmoid calibration over 5 folds turns SVM margins into probabilities for the threshold.
    model = CalibratedClassifierCV(LinearSVC(C=1.0, class_weight="balanced"), cv=5)
    features = FeatureUnion([("words", words), ("chars", chars)])
    return Pipeline([("features", features), ("model", model)])


def train_pipeline(utterances: Sequence[Utterance]) -> Pipeline:
    """A pipeline fitted on the given utterances.

    BLAS is held to one thread: the problem is tiny, and on a busy host (a worker next to other
    workers) multi-threaded BLAS oversubscribes the cores and fits ten times slower.
    """
    pipeline = build_pipeline()
    with threadpool_limits(limits=1, user_api="blas"):
        pipeline.fit([u.text for u in utterances], [u.intent.value for u in utterances])
    return pipeline


def export_model(pipeline: Pipeline) -> LinearIntentModel:
    """The fitted pipeline's arrays, every fold's rows in the calibrated model's class order."""
    calibrated: CalibratedClassifierCV = pipeline.named_steps["model"]
    classes = [str(c) for c in calibrated.classes_]
    weights, intercepts, slopes, offsets = [], [], [], []
    for fold in calibrated.calibrated_classifiers_:
        if fold.method != "sigmoid" or list(fold.estimator.classes_) != classes:
            raise ValueError("export expects sigmoid calibration and every class in every fold")
        weights.append(fold.estimator.coef_)
        intercepts.append(fold.estimator.intercept_)
        slopes.append([c.a_ for c in fold.calibrators])
        offsets.append([c.b_ for c in fold.calibrators])
    vectorizers = dict(pipeline.named_steps["features"].transformer_list)
    return LinearIntentModel(
        classes=tuple(classes),
        words=TfidfBlock.fitted(vectorizers["words"]),
        chars=TfidfBlock.fitted(vectorizers["chars"]),
        weights=np.ascontiguousarray(np.vstack(weights).T, dtype=np.float64),
        intercepts=np.concatenate(intercepts).astype(np.float64),
        slopes=np.asarray(slopes, dtype=np.float64).ravel(),
        offsets=np.asarray(offsets, dtype=np.float64).ravel(),
    )


def train_model(utterances: Sequence[Utterance]) -> LinearIntentModel:
    """Fit on ``utterances`` and export: what the bot answers with."""
    return export_model(train_pipeline(utterances))


def main(argv: Sequence[str] | None = None) -> None:
    """Train on a corpus file and write the model's arrays where the classifier caches them."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("corpus", type=Path, help="the utterances (TSV)")
    parser.add_argument("cache", type=Path, help="the .npz file to write")
    args = parser.parse_args(argv)
    write_cache(args.cache, train_model(load_corpus(args.corpus)))


if __name__ == "__main__":
    main()
