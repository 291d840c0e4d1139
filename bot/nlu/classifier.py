"""The intent classifier: TF-IDF word and character n-grams into a calibrated linear SVM.

Word n-grams catch phrasing ("cancel my", "baat karao"); character n-grams within word
boundaries survive typos ("cancle", "reserv") and Devanagari spelling variants. A linear SVM
with sigmoid calibration (5-fold) scored best on the held-out split (a logistic regression was
about 0.02 macro-F1 lower) and gives probabilities to fall back to UNKNOWN when unsure.

The fitted pipeline is cached with joblib under a name derived from the corpus, the model code
and the scikit-learn version, so a changed corpus, model or library retrains on next load and an
unchanged one is loaded in milliseconds.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import joblib
import numpy as np
import sklearn
from numpy.typing import NDArray
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.svm import LinearSVC
from threadpoolctl import threadpool_limits

from bot.nlu import corpus as corpus_module
from bot.nlu import normalize as normalize_module
from bot.nlu.corpus import CORPUS_PATH, Utterance, load_corpus
from bot.nlu.intents import Intent
from bot.nlu.normalize import normalize, tokens

logger = logging.getLogger(__name__)

#: Below this top probability the answer is UNKNOWN (the best guess stays in alternatives).
CONFIDENCE_THRESHOLD = 0.4
#: At most this many runners-up are reported, each with at least MIN_ALTERNATIVE_PROBABILITY.
MAX_ALTERNATIVES = 3
MIN_ALTERNATIVE_PROBABILITY = 0.05
CACHE_DIR_ENV = "BOOKLINE_CACHE_DIR"


@dataclass(frozen=True)
class Prediction:
    """The classifier's answer for one message.

    ``confidence`` is the model's probability for its best guess. When it is below the threshold,
    ``intent`` is UNKNOWN and the best guess heads ``alternatives``, so the dialogue can ask
    "did you want to cancel?". ``alternatives`` never repeats ``intent`` and is best first.
    """

    intent: Intent
    confidence: float
    alternatives: list[tuple[Intent, float]]


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


class IntentClassifier:
    """Classifies guest messages into intents, with a confidence fallback to UNKNOWN."""

    def __init__(self, pipeline: Pipeline, *, threshold: float = CONFIDENCE_THRESHOLD) -> None:
        self.pipeline = pipeline
        self.threshold = threshold
        self._intents = [Intent(label) for label in pipeline.classes_]

    def predict(self, text: str) -> Prediction:
        """The intent of one message."""
        return self.predict_many([text])[0]

    def predict_many(self, texts: Sequence[str]) -> list[Prediction]:
        """The intents of several messages, in order (one model call)."""
        if not texts:
            return []
        probabilities: NDArray[np.float64] = self.pipeline.predict_proba(list(texts))
        return [self._decide(text, row) for text, row in zip(texts, probabilities, strict=True)]

    def _decide(self, text: str, row: NDArray[np.float64]) -> Prediction:
        """Apply the threshold to one row of probabilities."""
        if not normalize(text):  # nothing but punctuation or whitespace: no evidence at all
            return Prediction(intent=Intent.UNKNOWN, confidence=0.0, alternatives=[])
        ranked = sorted(
            ((intent, float(p)) for intent, p in zip(self._intents, row, strict=True)),
            key=lambda pair: pair[1],
            reverse=True,
        )
        best, confidence = ranked[0]
        intent = best if confidence >= self.threshold else Intent.UNKNOWN
        alternatives = [
            (other, round(p, 4))
            for other, p in ranked
            if other is not intent and p >= MIN_ALTERNATIVE_PROBABILITY
        ][:MAX_ALTERNATIVES]
        return Prediction(intent=intent, confidence=round(confidence, 4), alternatives=alternatives)


def default_cache_dir() -> Path:
    """``$BOOKLINE_CACHE_DIR`` if set, else ``~/.cache/bookline``."""
    configured = os.environ.get(CACHE_DIR_ENV)
    return Path(configured) if configured else Path.home() / ".cache" / "bookline"


def model_fingerprint(corpus_path: Path = CORPUS_PATH) -> str:
    """A hash of everything that shapes the fitted model: corpus and the code that trains it."""
    digest = hashlib.sha256()
    for path in (corpus_path, Path(__file__), *_code_files()):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _code_files() -> list[Path]:
    """Sources whose changes must invalidate the cache (normalisation, corpus reading)."""
    return [Path(str(normalize_module.__file__)), Path(str(corpus_module.__file__))]


def cache_path(cache_dir: Path, corpus_path: Path = CORPUS_PATH) -> Path:
    """Where the model for this corpus, code and scikit-learn version is cached."""
    fingerprint = model_fingerprint(corpus_path)[:16]
    return cache_dir / f"intent-{fingerprint}-sklearn{sklearn.__version__}.joblib"


def _read_cache(path: Path) -> Pipeline | None:
    """The cached pipeline, or None when missing or unreadable (then it is retrained)."""
    if not path.exists():
        return None
    try:
        cached = joblib.load(path)
    except Exception:  # a truncated or foreign file must not take the bot down
        logger.warning("intent model cache %s unreadable; retraining", path, exc_info=True)
        return None
    return cached if isinstance(cached, Pipeline) else None


def _write_cache(path: Path, pipeline: Pipeline) -> None:
    """Write atomically, so concurrent workers never read a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".intent-", suffix=".tmp")
    os.close(fd)
    try:
        joblib.dump(pipeline, temporary, compress=3)
        os.replace(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)


def load_or_train(*, cache_dir: Path, corpus_path: Path = CORPUS_PATH) -> IntentClassifier:
    """The cached classifier for this corpus, training and caching it first if needed."""
    path = cache_path(cache_dir, corpus_path)
    pipeline = _read_cache(path)
    if pipeline is None:
        started = time.perf_counter()
        pipeline = train_pipeline(load_corpus(corpus_path))
        logger.info("trained intent model in %.2fs", time.perf_counter() - started)
        _write_cache(path, pipeline)
    return IntentClassifier(pipeline)


@functools.cache
def load_classifier(cache_dir: Path | None = None) -> IntentClassifier:
    """The process-wide classifier (loaded or trained once per process and cache dir)."""
    return load_or_train(cache_dir=cache_dir if cache_dir is not None else default_cache_dir())
