"""Training the intent model on the full corpus, against its own vectorising as a ceiling.

What is measured
----------------
A process that answers guests trains the intent model (in a child process, ``bot.nlu.child``)
when it starts on an empty cache: after a deploy that changed the corpus or the code, the
first worker waits that long before it takes a job. Each of ``--repeat`` rounds times, in
this process, ``train_pipeline`` on the whole corpus (``bot.nlu.corpus``: vectorise, then the
calibrated linear SVM's five folds) and, as a ceiling measured in the same round, the
vectorising alone (the word and character TF-IDF fitted on the same texts), which any model
of these features must do; ``ratio`` is training over vectorising. Rounds alternate the two,
so both see the same machine load. The goal is training under 5 s.

Run (no database, no Redis)::

    .venv/bin/python bench/intent_training.py [--repeat 3] [--json]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from stackproc import json_report, load_average

from bot.nlu.corpus import load_corpus
from bot.nlu.training import build_pipeline, train_pipeline

GOAL_SECONDS = 5.0


def timed(work: Callable[[], object]) -> float:
    """Wall seconds ``work`` took."""
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print one line of JSON")
    args = parser.parse_args()
    utterances = load_corpus()
    texts = [u.text for u in utterances]
    with json_report(args.json) as figures:
        print(f"corpus: {len(utterances)} utterances; load average {load_average()}")
        trained, vectorised = [], []
        for _ in range(args.repeat):
            trained.append(timed(lambda: train_pipeline(utterances)))
            vectorised.append(timed(lambda: build_pipeline().named_steps["features"].fit(texts)))
            print(f"  train {trained[-1]:.2f} s, vectorise alone {vectorised[-1]:.2f} s")
        median = statistics.median(trained)
        verdict = "MET" if max(trained) < GOAL_SECONDS else "MISSED"
        print(f"training: median {median:.2f} s, max {max(trained):.2f} s (goal < 5 s) {verdict}")
        figures.update(
            train_s=round(median, 3),
            train_max_s=round(max(trained), 3),
            vectorise_s=round(statistics.median(vectorised), 3),
            ratio=round(median / statistics.median(vectorised), 2),
            load_average=load_average(),
        )


if __name__ == "__main__":
    main()
