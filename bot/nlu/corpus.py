"""The labelled utterances shipped with the package, read and deduplicated.

The file is a TSV with a header: ``language<TAB>intent<TAB>text``. Utterances are deduplicated
on their normalised text, so two lines that differ only in case, punctuation or a number count
once (and can never sit on both sides of a train/test split); if such lines disagree on the
intent the corpus is rejected.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path

from bot.nlu.exceptions import CorpusError
from bot.nlu.intents import Intent
from bot.nlu.normalize import normalize

CORPUS_PATH = Path(__file__).with_name("corpus") / "utterances.tsv"
LANGUAGES = frozenset({"en", "hi", "hi-latn", "es"})
_HEADER = ["language", "intent", "text"]


@dataclass(frozen=True)
class Utterance:
    """One labelled example."""

    language: str
    intent: Intent
    text: str


def corpus_digest(path: Path = CORPUS_PATH) -> str:
    """SHA-256 of the corpus file's bytes, to tell when a trained model is stale."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _parse(line: str, number: int) -> Utterance:
    """One data line as an utterance; CorpusError names the line when it is malformed."""
    fields = line.split("\t")
    if len(fields) != 3 or not fields[2].strip():
        raise CorpusError(f"line {number}: expected language<TAB>intent<TAB>text")
    language, intent, text = fields
    if language not in LANGUAGES:
        raise CorpusError(f"line {number}: unknown language {language!r}")
    if intent not in Intent.__members__.values():
        raise CorpusError(f"line {number}: unknown intent {intent!r}")
    return Utterance(language=language, intent=Intent(intent), text=text.strip())


def load_corpus(path: Path = CORPUS_PATH) -> list[Utterance]:
    """The corpus in file order, deduplicated on normalised text."""
    lines = path.read_text(encoding="utf-8").splitlines()
    if not lines or lines[0].split("\t") != _HEADER:
        raise CorpusError(f"{path}: the first line must be the header {'<TAB>'.join(_HEADER)}")
    seen: dict[str, Utterance] = {}
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        utterance = _parse(line, number)
        key = normalize(utterance.text)
        if not key:
            raise CorpusError(f"line {number}: {utterance.text!r} is empty after normalisation")
        first = seen.setdefault(key, utterance)
        if first.intent is not utterance.intent:
            raise CorpusError(
                f"line {number}: {utterance.text!r} is {utterance.intent}, "
                f"but {first.text!r} normalises the same and is {first.intent}"
            )
    return list(seen.values())


@functools.cache
def known_phrases() -> frozenset[str]:
    """Every utterance of the shipped corpus, normalised: messages the bot knows the meaning of.

    The dialogue uses it to tell a name ("Nora") from a phrase ("no thanks") when it has asked
    for one: the classifier was never trained on names, so its guesses about them mean little.
    """
    return frozenset(normalize(utterance.text) for utterance in load_corpus())


@functools.cache
def vocabulary() -> frozenset[str]:
    """Every word of the shipped corpus, normalised ("stop", "this", "cancel", ...)."""
    return frozenset(word for phrase in known_phrases() for word in phrase.split())
