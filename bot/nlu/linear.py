"""The fitted intent model as plain arrays: TF-IDF lookup, linear scores, sigmoid calibration.

scikit-learn trains the model (``bot.nlu.training``), but answering one message through its
pipeline costs ~5 ms of validation and sparse-matrix bookkeeping, and importing it costs a
worker ~100 MB. A message has a few dozen n-grams, so the same arithmetic over the exported
arrays takes well under a millisecond and needs only numpy: per TF-IDF block, sublinear term
counts times idf, L2-normalised; per calibration fold, the LinearSVC margins through that
fold's per-class sigmoid, normalised over classes; the folds averaged. ``tests/bot`` checks the
probabilities against scikit-learn's over the whole corpus.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from bot.nlu.normalize import normalize, tokens

Floats = NDArray[np.float64]

#: scikit-learn's ``CalibratedClassifierCV`` rounds probabilities up to 1e-5 above one to one.
OVERSHOOT = 1e-5


def word_ngrams(text: str) -> list[str]:
    """Word 1- and 2-grams of normalised text (``TfidfVectorizer(ngram_range=(1, 2))``)."""
    words = tokens(text)
    return words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]


def char_wb_ngrams(text: str, low: int = 2, high: int = 5) -> list[str]:
    """Character n-grams inside space-padded words, as ``analyzer="char_wb"`` makes them."""
    grams: list[str] = []
    for word in text.split():
        padded = f" {word} "
        for n in range(low, high + 1):
            grams.extend(padded[i : i + n] for i in range(max(1, len(padded) - n + 1)))
            if len(padded) <= n:  # a short word yields its whole padded self once
                break
    return grams


@dataclass(frozen=True)
class TfidfBlock:
    """One TF-IDF vectoriser: term → column (within the block) and the terms' idf."""

    vocabulary: dict[str, int]
    idf: Floats

    @classmethod
    def fitted(cls, vectorizer: Any) -> TfidfBlock:
        """The block of a fitted scikit-learn ``TfidfVectorizer`` (read by attribute, so this
        module never imports scikit-learn)."""
        vocabulary = {str(term): int(column) for term, column in vectorizer.vocabulary_.items()}
        return cls(vocabulary, np.asarray(vectorizer.idf_, dtype=np.float64))

    def features(self, grams: list[str], offset: int) -> dict[int, float]:
        """Columns (shifted by ``offset``) and L2-normalised sublinear tf-idf of ``grams``."""
        counts = Counter(self.vocabulary[g] for g in grams if g in self.vocabulary)
        weights = {col: (1.0 + math.log(n)) * float(self.idf[col]) for col, n in counts.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {offset + col: w / norm for col, w in weights.items()}


@dataclass(frozen=True)
class LinearIntentModel:
    """Calibrated one-vs-rest linear SVM over word + character TF-IDF, as arrays.

    ``weights`` is features × (folds · classes); ``intercepts``, ``slopes`` and ``offsets``
    (the sigmoid's ``a`` and ``b``) are (folds · classes), fold-major, classes in ``classes``
    order.
    """

    classes: tuple[str, ...]
    words: TfidfBlock
    chars: TfidfBlock
    weights: Floats
    intercepts: Floats
    slopes: Floats
    offsets: Floats

    def predict_proba(self, texts: Sequence[str]) -> Floats:
        """Class probabilities per text, rows in input order, columns in ``classes`` order."""
        return np.array([self._probabilities(text) for text in texts])

    def _probabilities(self, text: str) -> Floats:
        normalised = normalize(text)
        features = {
            **self.words.features(word_ngrams(normalised), 0),
            **self.chars.features(char_wb_ngrams(normalised), len(self.words.vocabulary)),
        }
        columns = np.fromiter(features, dtype=np.intp, count=len(features))
        values = np.fromiter(features.values(), dtype=np.float64, count=len(features))
        margins = values @ self.weights[columns] + self.intercepts
        with np.errstate(over="ignore"):  # exp(large) = inf gives the right 0.0
            sigmoid = 1.0 / (1.0 + np.exp(self.slopes * margins + self.offsets))
        per_fold = sigmoid.reshape(-1, len(self.classes))
        totals = per_fold.sum(axis=1, keepdims=True)
        uniform = np.full_like(per_fold, 1.0 / len(self.classes))
        per_fold = np.divide(per_fold, totals, out=uniform, where=totals != 0)
        per_fold[(per_fold > 1.0) & (per_fold <= 1.0 + OVERSHOOT)] = 1.0
        mean: Floats = per_fold.mean(axis=0)
        return mean

    def save(self, path: Path) -> None:
        """Write the arrays (no pickles: loading runs no code from the file)."""
        np.savez(
            path,
            classes=np.array(self.classes),
            word_terms=_terms(self.words),
            word_idf=self.words.idf,
            char_terms=_terms(self.chars),
            char_idf=self.chars.idf,
            weights=self.weights,
            intercepts=self.intercepts,
            slopes=self.slopes,
            offsets=self.offsets,
        )

    @classmethod
    def load(cls, path: Path) -> LinearIntentModel:
        """Read what ``save`` wrote."""
        with np.load(path, allow_pickle=False) as data:
            return cls(
                classes=tuple(str(c) for c in data["classes"]),
                words=_block(data["word_terms"], data["word_idf"]),
                chars=_block(data["char_terms"], data["char_idf"]),
                weights=data["weights"],
                intercepts=data["intercepts"],
                slopes=data["slopes"],
                offsets=data["offsets"],
            )


def _terms(block: TfidfBlock) -> NDArray[np.str_]:
    """The block's terms ordered by column."""
    ordered = sorted(block.vocabulary, key=block.vocabulary.__getitem__)
    return np.array(ordered, dtype=np.str_)


def _block(terms: NDArray[np.str_], idf: Floats) -> TfidfBlock:
    return TfidfBlock({str(term): n for n, term in enumerate(terms.tolist())}, idf)
