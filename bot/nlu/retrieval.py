"""Finding the owner's answer to a guest's question: TF-IDF retrieval, scored with numpy.

Every wording of every question the owner answered (the question, its other phrasings, its
translations) is a document. scikit-learn fits the TF-IDF vocabulary and idf over them
(``bot.nlu.retrieval_training``, in a child process: see ``bot.nlu.child``); here each
document and each guest message becomes word 1-2 grams and character 2-5 grams, weighted as
the intent model weighs them (``bot.nlu.linear``), and a message's score for an entry is its
best cosine similarity with one of the entry's wordings. Below the threshold nothing is
answered: the question goes to a person. The exported arrays are cached on disk under a hash
of the documents and the code, and per process, so a venue's index is fitted once.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from bot.nlu import linear as linear_module
from bot.nlu import normalize as normalize_module
from bot.nlu.child import cache_lock, default_cache_dir, run_child
from bot.nlu.linear import TfidfBlock, char_wb_ngrams, word_ngrams
from bot.nlu.normalize import normalize

#: Words nearly every question has, in English, Hindi (both scripts) and Spanish, and the
#: names of the place itself ("is there a … in the hotel / in the room"), and the verbs of
#: having and serving: "room service" is not "laundry service", nor "what cuisine do you
#: serve?" "do you serve alcohol?".
STOP_WORDS = frozenset(
    """
    a an the is are am was be do does did you your u we i me my our us it its there here
    have has can could would will may please pls to of in on at for with and or any some
    what when where how which who this that these those hi hello hey ok also there
    kya hai hain ho hoga aap aapka aapke aapki app mujhe hum ka ki ke ko se me mein par pe
    bhi koi kuch kaise kab kahan kitna kitne ji
    क्या है हैं हो आप आपका आपके आपकी का की के को से में पर भी कोई कुछ मुझे हम
    el la los las un una unos unas de del en y o que se su sus hay tienen tiene puedo puede
    es son por para con mi me le les al como cuando donde cual hola
    hotel restaurant restaurante room rooms habitacion habitaciones kamra kamre होटल कमरे
    serve served service services offer provide available allowed get guests
    servicio sirven ofrecen milta milti milega sakte sakta
    """.split()
)

Floats = NDArray[np.float64]

#: A best cosine below this goes to a person, not to the nearest answer. Chosen on the dev
#: half of the demo's paraphrases and out-of-scope questions (``bookline nlu eval`` prints
#: the value that split would choose, and the scores on the held-out half).
ANSWER_THRESHOLD = 0.35


@dataclass(frozen=True)
class Match:
    """The entry (its position in the owner's list) a message is nearest to, and how near."""

    entry: int
    score: float


@dataclass(frozen=True)
class AnswerIndex:
    """Every wording's TF-IDF vector (L2-normalised), kept sparse: its non-zero ``values`` at
    ``columns``, in the row ``rows`` says; and the entry each row belongs to. A venue's index
    holds a few thousand numbers where a dense matrix would hold a few million."""

    words: TfidfBlock
    chars: TfidfBlock
    rows: NDArray[np.intp]
    columns: NDArray[np.intp]
    values: Floats
    entries: NDArray[np.intp]

    @classmethod
    def build(
        cls, words: TfidfBlock, chars: TfidfBlock, documents: Sequence[Document]
    ) -> AnswerIndex:
        """Vectorise the documents with the fitted vocabularies."""
        features = [_features(words, chars, document.text) for document in documents]
        rows = [row for row, found in enumerate(features) for _ in found]
        return cls(
            words,
            chars,
            rows=np.array(rows, dtype=np.intp),
            columns=np.array([c for found in features for c in found], dtype=np.intp),
            values=np.array([v for found in features for v in found.values()]),
            entries=np.array([d.entry for d in documents], dtype=np.intp),
        )

    @property
    def width(self) -> int:
        """How many features a vector has (word grams, then character grams)."""
        return len(self.words.vocabulary) + len(self.chars.vocabulary)

    def nearest(self, text: str) -> Match | None:
        """The entry whose wording is most like ``text`` (None when nothing is shared)."""
        if not len(self.entries):
            return None
        query = np.zeros(self.width)
        for column, value in _features(self.words, self.chars, text).items():
            query[column] = value
        products = self.values * query[self.columns]
        scores = np.bincount(self.rows, weights=products, minlength=len(self.entries))
        best = int(np.argmax(scores))
        if scores[best] <= 0.0:
            return None
        return Match(int(self.entries[best]), round(float(scores[best]), 4))


@dataclass(frozen=True)
class Document:
    """One wording of the owner's entry number ``entry``."""

    entry: int
    text: str


def documents(entries: Sequence[Sequence[str]]) -> tuple[Document, ...]:
    """Every wording of every entry, numbered by the entry's place in the list."""
    return tuple(Document(number, text) for number, texts in enumerate(entries) for text in texts)


def content(text: str) -> str:
    """Normalised text without the words every question shares ("do you have", "kya hai")."""
    return " ".join(word for word in normalize(text).split() if word not in STOP_WORDS)


def _weights(block: TfidfBlock, grams: list[str]) -> dict[int, float]:
    """Sublinear tf-idf of the block's known grams, L2-normalised over all of ``grams``.

    A gram no wording has (a word the owner never used: "gym", "spa") weighs as the rarest
    known one: it is in no answer, so it pulls the message away from every answer, where
    dropping it would leave "do you have a gym?" looking like "do you have a pool?".
    """
    unseen_idf = float(block.idf.max()) if len(block.idf) else 1.0
    known: dict[int, float] = {}
    unseen = 0.0
    for gram, count in Counter(grams).items():
        tf = 1.0 + math.log(count)
        column = block.vocabulary.get(gram)
        if column is None:
            unseen += (tf * unseen_idf) ** 2
        else:
            known[column] = tf * float(block.idf[column])
    norm = math.sqrt(sum(w * w for w in known.values()) + unseen) or 1.0
    return {column: w / norm for column, w in known.items()}


def _features(words: TfidfBlock, chars: TfidfBlock, text: str) -> dict[int, float]:
    """The text's word and character blocks side by side (character columns after the word
    ones), each L2-normalised, the whole scaled to unit length."""
    kept = content(text)
    scale = 1.0 / math.sqrt(2.0)
    features = {c: v * scale for c, v in _weights(words, word_ngrams(kept)).items()}
    offset = len(words.vocabulary)
    for column, value in _weights(chars, char_wb_ngrams(kept)).items():
        features[offset + column] = value * scale
    return features


def fingerprint(documents: Sequence[Document]) -> str:
    """A hash of the documents and of the code that fits and weighs them."""
    digest = hashlib.sha256(json.dumps([[d.entry, d.text] for d in documents]).encode())
    training = Path(__file__).with_name("retrieval_training.py")
    for path in (Path(__file__), training, *_code_files()):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _code_files() -> list[Path]:
    return [Path(str(module.__file__)) for module in (normalize_module, linear_module)]


def save_blocks(path: Path, words: TfidfBlock, chars: TfidfBlock) -> None:
    """Write the fitted vocabularies and idf (no pickles)."""
    np.savez(
        path,
        word_terms=np.array(_terms(words), dtype=np.str_),
        word_idf=words.idf,
        char_terms=np.array(_terms(chars), dtype=np.str_),
        char_idf=chars.idf,
    )


def load_blocks(path: Path) -> tuple[TfidfBlock, TfidfBlock]:
    """Read what ``save_blocks`` wrote."""
    with np.load(path, allow_pickle=False) as data:
        return _block(data["word_terms"], data["word_idf"]), _block(
            data["char_terms"], data["char_idf"]
        )


def _terms(block: TfidfBlock) -> list[str]:
    return sorted(block.vocabulary, key=block.vocabulary.__getitem__)


def _block(terms: NDArray[np.str_], idf: Floats) -> TfidfBlock:
    return TfidfBlock({str(term): n for n, term in enumerate(terms.tolist())}, idf)


def fitted_blocks(documents: Sequence[Document], cache_dir: Path) -> tuple[TfidfBlock, TfidfBlock]:
    """The vocabularies and idf fitted on ``documents``: from the cache, else fitted by a child."""
    path = _cache_path(documents, cache_dir)
    _fit_missing({path: documents}, cache_dir)
    return load_blocks(path)


def fit_missing(document_sets: Sequence[Sequence[Document]], cache_dir: Path | None = None) -> int:
    """Fit every set of documents not in the cache yet, all in one child; returns how many.

    Run before a guest asks (a worker starting, an owner saving new answers): a question that
    finds its venue's index missing waits for a child to start and fit it, and every worker
    that also finds it missing waits on the cache's lock meanwhile.
    """
    cache_dir = cache_dir or default_cache_dir()
    return _fit_missing(
        {_cache_path(docs, cache_dir): docs for docs in document_sets if docs}, cache_dir
    )


def _cache_path(documents: Sequence[Document], cache_dir: Path) -> Path:
    version = metadata.version("scikit-learn")
    return cache_dir / f"answers-{fingerprint(documents)[:16]}-sklearn{version}.npz"


def _fit_missing(wanted: dict[Path, Sequence[Document]], cache_dir: Path) -> int:
    """Fit the sets whose cache file is missing (checked again under the lock: another process
    may have fitted them meanwhile)."""
    if all(path.exists() for path in wanted):
        return 0
    with cache_lock(cache_dir):
        missing = {path: docs for path, docs in wanted.items() if not path.exists()}
        if missing:
            _fit_in_child(missing)
    return len(missing)


def _fit_in_child(missing: dict[Path, Sequence[Document]]) -> None:
    """Let ``python -m bot.nlu.retrieval_training`` fit each set and write its cache file."""
    sources = {path.with_suffix(".json"): docs for path, docs in missing.items()}
    try:
        for source, docs in sources.items():
            source.write_text(json.dumps([d.text for d in docs]), encoding="utf-8")
        pairs = [
            str(part)
            for source, path in zip(sources, missing, strict=True)
            for part in (source, path)
        ]
        run_child("bot.nlu.retrieval_training", pairs, what="answer retrieval")
    finally:
        for source in sources:
            source.unlink(missing_ok=True)


@functools.lru_cache(maxsize=128)
def answer_index(documents: tuple[Document, ...], cache_dir: Path | None = None) -> AnswerIndex:
    """The index of these documents (fitted once per process and set of documents)."""
    if not documents:
        empty = TfidfBlock({}, np.zeros(0))
        return AnswerIndex.build(empty, empty, ())
    words, chars = fitted_blocks(documents, cache_dir or default_cache_dir())
    return AnswerIndex.build(words, chars, documents)
