"""Errors of the NLU package."""

from __future__ import annotations


class NluError(Exception):
    """Base class of every error raised by ``bot.nlu``."""


class CorpusError(NluError):
    """The utterance corpus is malformed or contradicts itself."""


class TrainingError(NluError):
    """Training the intent model failed: its process exited with an error, or hung."""
