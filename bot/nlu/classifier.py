"""The intent classifier: the bot's answer to "what does the guest want?", with a confidence.

The model (``bot.nlu.training``: TF-IDF n-grams into a calibrated linear SVM) is trained with
scikit-learn and answered with numpy alone (``bot.nlu.linear``). Its exported arrays are cached
under a name derived from the corpus, the model code and the scikit-learn version, so a changed
corpus, model or library retrains on next load and an unchanged one is loaded in milliseconds.

Training runs in a short-lived child process (``python -m bot.nlu.training``, see
``bot.nlu.child``) that writes the cache and exits, so the long-lived worker that loads the
model never imports scikit-learn; workers starting together take turns on the cache lock.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from bot.nlu import corpus as corpus_module
from bot.nlu import linear as linear_module
from bot.nlu import normalize as normalize_module
from bot.nlu.child import cache_lock, default_cache_dir, run_child, write_atomically
from bot.nlu.corpus import CORPUS_PATH
from bot.nlu.intents import Intent
from bot.nlu.linear import LinearIntentModel
from bot.nlu.normalize import normalize

logger = logging.getLogger(__name__)

#: Below this top probability the answer is UNKNOWN (the best guess stays in alternatives).
CONFIDENCE_THRESHOLD = 0.4
#: At most this many runners-up are reported, each with at least MIN_ALTERNATIVE_PROBABILITY.
MAX_ALTERNATIVES = 3
MIN_ALTERNATIVE_PROBABILITY = 0.05


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


class IntentClassifier:
    """Classifies guest messages into intents, with a confidence fallback to UNKNOWN."""

    def __init__(
        self, model: LinearIntentModel, *, threshold: float = CONFIDENCE_THRESHOLD
    ) -> None:
        self.model = model
        self.threshold = threshold
        self._intents = [Intent(label) for label in model.classes]

    def predict(self, text: str) -> Prediction:
        """The intent of one message."""
        return self.predict_many([text])[0]

    def predict_many(self, texts: Sequence[str]) -> list[Prediction]:
        """The intents of several messages, in order (one model call)."""
        if not texts:
            return []
        probabilities: NDArray[np.float64] = self.model.predict_proba(texts)
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


def model_fingerprint(corpus_path: Path = CORPUS_PATH) -> str:
    """A hash of everything that shapes the fitted model: corpus and the code that trains it."""
    digest = hashlib.sha256()
    for path in (corpus_path, Path(__file__), *_code_files()):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _code_files() -> list[Path]:
    """Sources whose changes must invalidate the cache (normalisation, corpus, model, export)."""
    training = Path(__file__).with_name("training.py")
    modules = (normalize_module, corpus_module, linear_module)
    return [*(Path(str(module.__file__)) for module in modules), training]


def sklearn_version() -> str:
    """The installed scikit-learn's version, read without importing it."""
    return metadata.version("scikit-learn")


def cache_path(cache_dir: Path, corpus_path: Path = CORPUS_PATH) -> Path:
    """Where the model for this corpus, code and scikit-learn version is cached."""
    fingerprint = model_fingerprint(corpus_path)[:16]
    return cache_dir / f"intent-{fingerprint}-sklearn{sklearn_version()}.npz"


def _read_cache(path: Path) -> LinearIntentModel | None:
    """The cached model, or None when missing or unreadable (then it is retrained)."""
    if not path.exists():
        return None
    try:
        return LinearIntentModel.load(path)
    except Exception:  # a truncated or foreign file must not take the bot down
        logger.warning("intent model cache %s unreadable; retraining", path, exc_info=True)
        return None


def write_cache(path: Path, model: LinearIntentModel) -> None:
    """Write atomically, so concurrent workers never read a half-written file."""
    write_atomically(path, model.save)


def train_in_child(corpus_path: Path, path: Path) -> None:
    """Train on the corpus at ``corpus_path`` in a child process that writes the cache at ``path``.

    The child imports scikit-learn and exits; this process never does.
    """
    started = time.perf_counter()
    run_child("bot.nlu.training", [str(corpus_path), str(path)], what="the intent model")
    logger.info("trained intent model in %.2fs (child process)", time.perf_counter() - started)


def load_or_train(*, cache_dir: Path, corpus_path: Path = CORPUS_PATH) -> IntentClassifier:
    """The cached classifier for this corpus, training and caching it first if needed.

    A process that finds no usable cache waits for the lock, then looks again: a process that
    held the lock before it may have trained the same model meanwhile.
    """
    path = cache_path(cache_dir, corpus_path)
    model = _read_cache(path)
    if model is None:
        with cache_lock(cache_dir):
            model = _read_cache(path)
            if model is None:
                train_in_child(corpus_path, path)
                model = LinearIntentModel.load(path)
    return IntentClassifier(model)


@functools.cache
def load_classifier(cache_dir: Path | None = None) -> IntentClassifier:
    """The process-wide classifier (loaded or trained once per process and cache dir)."""
    return load_or_train(cache_dir=cache_dir if cache_dir is not None else default_cache_dir())
