"""Fitting the answer-retrieval vocabularies with scikit-learn, in a child process.

``python -m bot.nlu.retrieval_training DOCUMENTS CACHE [DOCUMENTS CACHE …]``: each DOCUMENTS
is a JSON list of texts (every wording of one venue's questions); its CACHE receives the word
and character TF-IDF vocabularies and idf, which ``bot.nlu.retrieval`` scores with numpy. One
child fits many venues: a worker starting up fits every venue not cached yet, and starting a
process and importing scikit-learn costs more than a venue's fit. The n-grams and
weighting are the intent model's (``bot.nlu.training``), so the same normalisation serves
both. Only this child imports scikit-learn (see ``bot.nlu.child``).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from functools import partial
from pathlib import Path

from sklearn.feature_extraction.text import TfidfVectorizer

from bot.nlu.child import write_atomically
from bot.nlu.linear import TfidfBlock
from bot.nlu.normalize import tokens
from bot.nlu.retrieval import content, save_blocks


def vectorizers() -> tuple[TfidfVectorizer, TfidfVectorizer]:
    """Unfitted word 1-2 gram and char_wb 2-5 gram vectorisers, sublinear tf."""
    words = TfidfVectorizer(
        preprocessor=content,
        tokenizer=tokens,
        token_pattern=None,
        ngram_range=(1, 2),
        sublinear_tf=True,
    )
    chars = TfidfVectorizer(
        preprocessor=content, analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True
    )
    return words, chars


def fit_blocks(texts: Sequence[str]) -> tuple[TfidfBlock, TfidfBlock]:
    """The two vocabularies and their idf, fitted on ``texts``."""
    words, chars = vectorizers()
    return TfidfBlock.fitted(words.fit(texts)), TfidfBlock.fitted(chars.fit(texts))


def main(argv: Sequence[str] | None = None) -> None:
    """Fit the documents in each JSON file and write the arrays where retrieval caches them."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument(
        "pairs",
        type=Path,
        nargs="+",
        metavar="DOCUMENTS CACHE",
        help="a JSON list of texts, then the .npz file to write",
    )
    args = parser.parse_args(argv)
    if len(args.pairs) % 2:
        parser.error("give a .npz file after each JSON list of texts")
    for source, cache in zip(args.pairs[::2], args.pairs[1::2], strict=True):
        texts = json.loads(source.read_text(encoding="utf-8"))
        words, chars = fit_blocks(texts)
        write_atomically(cache, partial(save_blocks, words=words, chars=chars))


if __name__ == "__main__":
    main()
