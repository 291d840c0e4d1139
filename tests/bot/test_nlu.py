"""Intent classifier, its corpus and cache, and language detection (``bot.nlu``)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from bot.nlu import (
    Intent,
    IntentClassifier,
    detect_language,
    load_classifier,
    requested_language,
)
from bot.nlu import classifier as classifier_module
from bot.nlu.classifier import cache_path, load_or_train, sklearn_version
from bot.nlu.corpus import CORPUS_PATH, LANGUAGES, Utterance, load_corpus
from bot.nlu.evaluate import evaluate, format_report
from bot.nlu.exceptions import CorpusError, TrainingError
from bot.nlu.normalize import normalize
from bot.nlu.training import export_model, train_pipeline

# Realistic messages, none of them in the corpus (checked below): typos, all four languages.
UTTERANCES: list[tuple[str, Intent]] = [
    ("Hi, can I get a table for 4 tomorrow at 8pm?", Intent.BOOK),
    ("need a double room from 24 to 27 december", Intent.BOOK),
    ("boook a tabel for 2 tonite", Intent.BOOK),
    ("reserv a room for 3 nigths", Intent.BOOK),
    ("parso raat 9 baje 3 log, table milega?", Intent.BOOK),
    ("कल शाम 7 बजे 2 लोगों के लिए टेबल चाहिए", Intent.BOOK),
    ("quiero reservar una mesa para 3 el viernes", Intent.BOOK),
    ("what did i book again?", Intent.CHECK),
    ("chek my resevation", Intent.CHECK),
    ("meri booking dikhao na", Intent.CHECK),
    ("¿me puedes mostrar mi reserva?", Intent.CHECK),
    ("can we move it to saturday instead", Intent.CHANGE),
    ("can u make it 7 ppl instead", Intent.CHANGE),
    ("chnage booking to sunday", Intent.CHANGE),
    ("booking ka time 9 baje kar do please", Intent.CHANGE),
    ("quiero cambiar mi reserva al domingo", Intent.CHANGE),
    ("cancle my booking pls", Intent.CANCEL),
    ("cancell my reservaton", Intent.CANCEL),
    ("booking cancel karo bhai", Intent.CANCEL),
    ("मेरी टेबल की बुकिंग कैंसिल कर दो", Intent.CANCEL),
    ("por favor cancela mi reserva de mañana", Intent.CANCEL),
    ("what all can u do", Intent.HELP),
    ("madad chahiye bhai", Intent.HELP),
    ("ayuda porfavor", Intent.HELP),
    ("can i talk to a real human please", Intent.AGENT),
    ("mujhe abhi manager se baat karni hai", Intent.AGENT),
    ("quiero hablar con una persona", Intent.AGENT),
    ("yes pls go ahead", Intent.YES),
    ("haan ji theek hai", Intent.YES),
    ("sí, así está perfecto", Intent.YES),
    ("nah not really", Intent.NO),
    ("नहीं, अभी नहीं चाहिए", Intent.NO),
    ("hellooo is anyone there", Intent.GREET),
    ("नमस्ते भैया", Intent.GREET),
    ("buenas tardes, ¿hay alguien?", Intent.GREET),
    ("thank you so much for helping 😊", Intent.THANKS),
    ("bahut shukriya ji", Intent.THANKS),
    ("muchas gracias 🙏", Intent.THANKS),
    ("stop sending me these messages", Intent.OPT_OUT),
    ("pls unsubscribe me from this", Intent.OPT_OUT),
    ("no me manden mas mensajes por favor", Intent.OPT_OUT),
    ("i want to subscribe to your messages again", Intent.OPT_IN),
    ("message phir se bhejna shuru karo", Intent.OPT_IN),
    ("I'll take the second one", Intent.CHOOSE),
    ("pehla wala de do", Intent.CHOOSE),
    ("me quedo con la segunda opción", Intent.CHOOSE),
    ("where can I pay for the room", Intent.PAY),
    ("payment kahan karna hai", Intent.PAY),
    ("¿dónde pago?", Intent.PAY),
    ("hello there 👋", Intent.GREET),
    ("thank you ji 🙏", Intent.THANKS),
    ("what's the weather like in goa", Intent.UNKNOWN),
    ("tell me a joke about cats", Intent.UNKNOWN),
    ("¿quién ganó la liga?", Intent.UNKNOWN),
    ("mausam kaisa hai aaj", Intent.UNKNOWN),
    ("आज भारत का मैच कब है", Intent.UNKNOWN),
]

GIBBERISH = ["asdfghjkl", "lkjhgf", "xcvbnm qwe", "🦄🌈", "🙃", "ठठठठ"]


@pytest.fixture(scope="module")
def classifier(tmp_path_factory: pytest.TempPathFactory) -> IntentClassifier:
    """The classifier trained on the shipped corpus, cached in a throwaway directory."""
    return load_or_train(cache_dir=tmp_path_factory.mktemp("nlu-cache"))


@pytest.fixture
def fresh_singleton() -> Iterator[None]:
    """Forget the process-wide classifier before and after the test."""
    load_classifier.cache_clear()
    yield
    load_classifier.cache_clear()


# --- corpus -------------------------------------------------------------------------------------


def test_corpus_has_at_least_60_examples_per_intent_in_every_language() -> None:
    utterances = load_corpus()
    per_intent = Counter(u.intent for u in utterances)
    assert set(per_intent) == set(Intent)
    assert min(per_intent.values()) >= 60, per_intent
    for intent in Intent:
        languages = {u.language for u in utterances if u.intent is intent}
        assert languages == LANGUAGES, (intent, languages)


def test_corpus_is_deduplicated_on_normalised_text() -> None:
    keys = [normalize(u.text) for u in load_corpus()]
    assert len(keys) == len(set(keys))


def test_lines_differing_only_by_a_number_count_once(tmp_path: Path) -> None:
    corpus = tmp_path / "utterances.tsv"
    corpus.write_text(
        "language\tintent\ttext\nen\tbook\ttable for 4\nen\tbook\tTable for 7!\n", encoding="utf-8"
    )
    assert load_corpus(corpus) == [Utterance(language="en", intent=Intent.BOOK, text="table for 4")]


def test_contradicting_labels_are_rejected(tmp_path: Path) -> None:
    corpus = tmp_path / "utterances.tsv"
    corpus.write_text(
        "language\tintent\ttext\nen\tcancel\tcancel it\nen\tno\tCancel it!\n", encoding="utf-8"
    )
    with pytest.raises(CorpusError, match="line 3"):
        load_corpus(corpus)


def test_unknown_intent_in_corpus_is_rejected(tmp_path: Path) -> None:
    corpus = tmp_path / "utterances.tsv"
    corpus.write_text("language\tintent\ttext\nen\tdance\tlet's dance\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="unknown intent"):
        load_corpus(corpus)


# --- quality --------------------------------------------------------------------------------------


def test_held_out_macro_f1_meets_the_acceptance_bar() -> None:
    report = evaluate(seed=7, test_size=0.25)
    assert report.macro_f1 >= 0.9, format_report(report)
    assert set(report.per_intent) == set(Intent)
    assert all(score.support > 0 for score in report.per_intent.values())
    assert report.train_size + report.test_size == len(load_corpus())
    assert "macro-F1" in format_report(report)


def test_table_utterances_are_not_in_the_corpus() -> None:
    corpus = {normalize(u.text) for u in load_corpus()}
    assert [text for text, _ in UTTERANCES if normalize(text) in corpus] == []


@pytest.mark.parametrize(("text", "expected"), UTTERANCES)
def test_realistic_utterance_gets_its_intent(
    classifier: IntentClassifier, text: str, expected: Intent
) -> None:
    prediction = classifier.predict(text)
    assert prediction.intent is expected, prediction


@pytest.mark.parametrize("text", GIBBERISH)
def test_gibberish_and_emoji_are_unknown(classifier: IntentClassifier, text: str) -> None:
    assert classifier.predict(text).intent is Intent.UNKNOWN


@pytest.mark.parametrize("text", ["", "   ", "?!...", "--"])
def test_empty_or_punctuation_only_is_unknown_with_no_confidence(
    classifier: IntentClassifier, text: str
) -> None:
    prediction = classifier.predict(text)
    assert (prediction.intent, prediction.confidence, prediction.alternatives) == (
        Intent.UNKNOWN,
        0.0,
        [],
    )


def test_unsure_prediction_falls_back_to_unknown_keeping_the_best_guess(
    classifier: IntentClassifier,
) -> None:
    strict = IntentClassifier(classifier.model, threshold=0.999)
    confident = classifier.predict("cancle my booking pls")
    unsure = strict.predict("cancle my booking pls")
    assert confident.intent is Intent.CANCEL
    assert unsure.intent is Intent.UNKNOWN
    assert unsure.confidence == confident.confidence < 0.999
    assert unsure.alternatives[0] == (Intent.CANCEL, confident.confidence)


def test_alternatives_are_other_intents_best_first(classifier: IntentClassifier) -> None:
    prediction = classifier.predict("booking")  # ambiguous on purpose
    probabilities = [p for _, p in prediction.alternatives]
    assert prediction.intent not in [intent for intent, _ in prediction.alternatives]
    assert probabilities == sorted(probabilities, reverse=True)
    assert len(prediction.alternatives) <= classifier_module.MAX_ALTERNATIVES


def test_numbers_do_not_change_the_prediction(classifier: IntentClassifier) -> None:
    assert normalize("Table for 4!!") == normalize("table for 7") == "table for 0"
    assert classifier.predict("table for 4 at 8pm") == classifier.predict("table for 7 at 9pm")


def test_predict_many_matches_predict(classifier: IntentClassifier) -> None:
    texts = [text for text, _ in UTTERANCES[:5]]
    assert classifier.predict_many(texts) == [classifier.predict(text) for text in texts]


def test_exported_model_answers_exactly_as_the_sklearn_pipeline_over_the_whole_corpus() -> None:
    utterances = load_corpus()
    pipeline = train_pipeline(utterances)
    texts = [u.text for u in utterances] + [*GIBBERISH, "", "?!...", "hiiii   there", "a"]
    expected = pipeline.predict_proba(texts)
    got = export_model(pipeline).predict_proba(texts)
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-9)
    assert list(got.argmax(axis=1)) == list(expected.argmax(axis=1))


@pytest.mark.parametrize("cached", [True, False], ids=["cached", "trained"])
def test_a_process_loading_the_model_never_imports_sklearn(tmp_path: Path, cached: bool) -> None:
    """Workers load the cached arrays only, and train (when they must) in a child process:
    scikit-learn would cost each ~85 MB for as long as it lives."""
    if cached:
        load_or_train(cache_dir=tmp_path)
    code = (
        "import sys; from bot.nlu import load_classifier; "
        "load_classifier().predict('table for 2'); print('sklearn' in sys.modules)"
    )
    env = {**os.environ, "BOOKLINE_CACHE_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert result.stdout.strip() == "False", result.stderr
    assert list(tmp_path.iterdir()) == [cache_path(tmp_path)]


# --- cache ------------------------------------------------------------------------------------


def test_first_load_trains_and_writes_the_cache(tmp_path: Path) -> None:
    load_or_train(cache_dir=tmp_path)
    files = list(tmp_path.iterdir())
    assert files == [cache_path(tmp_path)]
    assert f"sklearn{sklearn_version()}" in files[0].name


def test_second_load_reuses_the_cache_without_training(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = load_or_train(cache_dir=tmp_path)
    path = cache_path(tmp_path)
    mtime = path.stat().st_mtime_ns

    def must_not_train(corpus_path: Path, path: Path) -> None:
        raise AssertionError("retrained although the cache was valid")

    monkeypatch.setattr(classifier_module, "train_in_child", must_not_train)
    second = load_or_train(cache_dir=tmp_path)
    assert path.stat().st_mtime_ns == mtime
    assert second.predict("cancel my booking") == first.predict("cancel my booking")


def test_changed_corpus_retrains_into_a_new_cache_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "utterances.tsv"
    shutil.copy(CORPUS_PATH, corpus)
    cache = tmp_path / "cache"
    load_or_train(cache_dir=cache, corpus_path=corpus)
    before = cache_path(cache, corpus)
    with corpus.open("a", encoding="utf-8") as f:
        f.write("en\tbook\tgot a corner table for two at nine\n")
    calls: list[Path] = []
    real_train = classifier_module.train_in_child

    def counting_train(corpus_path: Path, path: Path) -> None:
        calls.append(corpus_path)
        real_train(corpus_path, path)

    monkeypatch.setattr(classifier_module, "train_in_child", counting_train)
    load_or_train(cache_dir=cache, corpus_path=corpus)
    after = cache_path(cache, corpus)
    assert after != before
    assert calls == [corpus]
    assert sorted(cache.iterdir()) == sorted([before, after])


def test_processes_finding_no_cache_at_once_train_it_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Workers starting together: the first trains, the others wait for it and load its cache."""
    calls: list[Path] = []
    real_train = classifier_module.train_in_child

    def slow_counting_train(corpus_path: Path, path: Path) -> None:
        calls.append(path)
        time.sleep(0.5)  # the others have long found no cache and are waiting by now
        real_train(corpus_path, path)

    monkeypatch.setattr(classifier_module, "train_in_child", slow_counting_train)
    with ThreadPoolExecutor(max_workers=3) as pool:
        loaded = list(pool.map(lambda _: load_or_train(cache_dir=tmp_path), range(3)))
    assert calls == [cache_path(tmp_path)]
    first = loaded[0].predict("cancel my booking")
    assert all(c.predict("cancel my booking") == first for c in loaded)
    assert list(tmp_path.iterdir()) == [cache_path(tmp_path)]


def test_a_failing_training_process_raises_an_error_carrying_its_reason(tmp_path: Path) -> None:
    corpus = tmp_path / "utterances.tsv"
    corpus.write_text("en\tbook\ta table please\nen\tno-such-intent\thello\n", encoding="utf-8")
    cache = tmp_path / "cache"
    with pytest.raises(TrainingError, match=r"failed \(exit 1\)") as failure:
        load_or_train(cache_dir=cache, corpus_path=corpus)
    assert "CorpusError" in str(failure.value)
    assert list(cache.iterdir()) == []


def test_cache_name_depends_on_the_sklearn_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    current = cache_path(tmp_path)
    monkeypatch.setattr(classifier_module, "sklearn_version", lambda: "0.0.1")
    assert cache_path(tmp_path) != current


def test_unreadable_cache_is_replaced_by_a_fresh_model(tmp_path: Path) -> None:
    path = cache_path(tmp_path)
    path.write_bytes(b"not an npz file")
    classifier = load_or_train(cache_dir=tmp_path)
    assert classifier.predict("cancel my booking").intent is Intent.CANCEL
    assert path.read_bytes() != b"not an npz file"


def test_load_classifier_is_a_singleton_honouring_the_cache_dir_env(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_singleton: None
) -> None:
    monkeypatch.setenv("BOOKLINE_CACHE_DIR", str(tmp_path))
    first = load_classifier()
    assert load_classifier() is first
    assert cache_path(tmp_path).exists()


# --- language -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("कल रात 8 बजे 4 लोग", "hi"),
        ("नमस्ते", "hi"),
        ("kal raat 8 baje 4 log", "hi-Latn"),
        ("mujhe ek table chahiye", "hi-Latn"),
        ("booking cancel karo please", "hi-Latn"),
        ("kya meri booking confirm hai", "hi-Latn"),
        ("quiero reservar una mesa", "es"),
        ("mesa para 4 mañana", "es"),
        ("¿tienen habitación?", "es"),
        ("gracias", "es"),
        ("hola", "es"),
        ("I want to book a table for 4 tomorrow", "en"),
        ("can you cancel my booking please", "en"),
        ("what time is my reservation", "en"),
        ("4", None),
        ("ok", None),
        ("no", None),
        ("👍", None),
        ("", None),
        ("booking", None),
    ],
)
def test_detect_language(text: str, expected: str | None) -> None:
    assert detect_language(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("in English please", "en"),
        ("English", "en"),
        ("can you speak english", "en"),
        ("angrezi mein baat karo", "en"),
        ("hindi mein baat karo", "hi-Latn"),
        ("Hindi please", "hi"),
        ("हिंदी में", "hi"),
        ("हिंदी में बात करो", "hi"),
        ("en español por favor", "es"),
        ("español", "es"),
        ("Spanish please", "es"),
        ("habla en espanol", "es"),
        ("do you have an english menu?", None),
        ("i don't speak hindi well but book a table", None),
        ("book a table for 4", None),
        ("english or hindi", None),
    ],
)
def test_requested_language(text: str, expected: str | None) -> None:
    assert requested_language(text) == expected
