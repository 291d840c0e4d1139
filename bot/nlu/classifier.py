"""The intent classifier: the bot's answer to "what does the guest want?", with a confidence.

The model (``bot.nlu.training``: TF-IDF n-grams into a calibrated linear SVM) is trained with
scikit-learn and answered with numpy alone (``bot.nlu.linear``). Its exported arrays are cached
under a name derived from the corpus, the model code and the scikit-learn version, so a changed
corpus, model or library retrains on next load and an unchanged one is loaded in milliseconds.

Training runs in a short-lived child process (``python -m bot.nlu.training``) that writes the
cache and exits: importing scikit-learn costs a process ~85 MB it never gives back, and the
process loading the model is a long-lived worker. Processes that find the cache missing at the
same moment (workers starting together) take turns on a lock on the cache directory: the first
trains, the others find its cache. A child that fails or hangs raises ``TrainingError`` with
the tail of its stderr.
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import logging
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from bot.nlu import corpus as corpus_module
from bot.nlu import linear as linear_module
from bot.nlu import normalize as normalize_module
from bot.nlu.corpus import CORPUS_PATH
from bot.nlu.exceptions import TrainingError
from bot.nlu.intents import Intent
from bot.nlu.linear import LinearIntentModel
from bot.nlu.normalize import normalize

logger = logging.getLogger(__name__)

#: Below this top probability the answer is UNKNOWN (the best guess stays in alternatives).
CONFIDENCE_THRESHOLD = 0.4
#: At most this many runners-up are reported, each with at least MIN_ALTERNATIVE_PROBABILITY.
MAX_ALTERNATIVES = 3
MIN_ALTERNATIVE_PROBABILITY = 0.05
CACHE_DIR_ENV = "BOOKLINE_CACHE_DIR"
#: Training takes a few seconds, a minute on a very busy host; a child still at it is stuck.
TRAINING_TIMEOUT_SECONDS = 300.0
#: How much of a failed child's stderr the error carries (its traceback's last lines).
STDERR_TAIL_CHARS = 2000


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
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".intent-", suffix=".npz")
    os.close(fd)
    try:
        model.save(Path(temporary))
        os.replace(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)


def train_in_child(corpus_path: Path, path: Path) -> None:
    """Train on the corpus at ``corpus_path`` in a child process that writes the cache at ``path``.

    The child imports scikit-learn and exits; this process never does.
    """
    argv = [sys.executable, "-m", "bot.nlu.training", str(corpus_path), str(path)]
    started = time.perf_counter()
    try:
        child = subprocess.run(
            argv, capture_output=True, text=True, timeout=TRAINING_TIMEOUT_SECONDS, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise TrainingError(
            f"training the intent model took over {TRAINING_TIMEOUT_SECONDS:.0f} s: stopped"
        ) from exc
    if child.returncode != 0:
        raise TrainingError(
            f"training the intent model failed (exit {child.returncode}):\n"
            f"{child.stderr[-STDERR_TAIL_CHARS:]}"
        )
    logger.info("trained intent model in %.2fs (child process)", time.perf_counter() - started)


@contextmanager
def _cache_lock(cache_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock on the cache directory (released when the process ends, too)."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(cache_dir, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


def load_or_train(*, cache_dir: Path, corpus_path: Path = CORPUS_PATH) -> IntentClassifier:
    """The cached classifier for this corpus, training and caching it first if needed.

    A process that finds no usable cache waits for the lock, then looks again: a process that
    held the lock before it may have trained the same model meanwhile.
    """
    path = cache_path(cache_dir, corpus_path)
    model = _read_cache(path)
    if model is None:
        with _cache_lock(cache_dir):
            model = _read_cache(path)
            if model is None:
                train_in_child(corpus_path, path)
                model = LinearIntentModel.load(path)
    return IntentClassifier(model)


@functools.cache
def load_classifier(cache_dir: Path | None = None) -> IntentClassifier:
    """The process-wide classifier (loaded or trained once per process and cache dir)."""
    return load_or_train(cache_dir=cache_dir if cache_dir is not None else default_cache_dir())
