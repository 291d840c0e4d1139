"""The configuration checks: the sandbox only when asked for, complete providers, strong keys.

``create_app`` runs them, so a process under any ASGI server refuses the start; ``bookline
serve`` and ``bookline worker`` say the same without a traceback (``test_cli``).
"""

from __future__ import annotations

import pytest

from bookline.app import create_app
from infra.settings import ConfigError, Settings, new_secret_key, secret_problem
from tests.settings import SECRET_KEY, production_settings

POSTGRES = "postgresql+psycopg://bookline@127.0.0.1:1/never-reached"
REDIS = "redis://127.0.0.1:1/0"


def settings(**values: object) -> Settings:
    """Settings from ``values`` alone: no Redis or key unless given, whatever the env says."""
    given = {"redis_url": None, "secret_key": None, **values}
    return Settings(_env_file=None, **given)  # type: ignore[arg-type]


def refusal(config: Settings) -> str:
    """What ``create_app`` says when it refuses ``config``."""
    with pytest.raises(ConfigError) as refused:
        create_app(config)
    return str(refused.value)


def test_the_sandbox_is_on_by_default_only_on_the_embedded_default() -> None:
    assert settings(database_url="sqlite:///x.db").sandbox
    assert not settings(database_url=POSTGRES).sandbox
    assert not settings(database_url="sqlite:///x.db", redis_url=REDIS).sandbox


def test_an_explicit_sandbox_setting_wins_both_ways() -> None:
    assert settings(database_url=POSTGRES, bookline_sandbox=True).sandbox
    assert not settings(database_url="sqlite:///x.db", bookline_sandbox=False).sandbox


def test_a_blank_provider_stops_the_start_naming_every_missing_variable() -> None:
    """Compose once left provider variables blank, and the app quietly ran the fakes."""
    config = production_settings(
        POSTGRES,
        REDIS,
        twilio_account_sid="",
        twilio_auth_token="",
        razorpay_key_secret=None,
        razorpay_webhook_secret="",
    )
    message = refusal(config)
    for name in (
        "TWILIO_ACCOUNT_SID",
        "TWILIO_AUTH_TOKEN",
        "RAZORPAY_KEY_SECRET",
        "RAZORPAY_WEBHOOK_SECRET",
    ):
        assert name in message
    assert "WHATSAPP" not in message and "RAZORPAY_KEY_ID" not in message


def test_one_missing_razorpay_variable_is_enough_to_stop_the_start() -> None:
    message = refusal(production_settings(POSTGRES, REDIS, razorpay_webhook_secret=None))
    assert "RAZORPAY_WEBHOOK_SECRET" in message


def test_no_provider_keys_and_no_sandbox_on_sqlite_stops_the_start_too() -> None:
    config = settings(database_url="sqlite:///x.db", bookline_sandbox=False)
    message = refusal(config)
    assert "TWILIO_AUTH_TOKEN" in message and "WHATSAPP_VERIFY_TOKEN" in message


def test_a_disabled_provider_needs_no_variables() -> None:
    config = production_settings(
        POSTGRES, REDIS, disabled_providers="whatsapp, Razorpay", whatsapp_token=None
    )
    assert config.problems() == []
    assert not config.enabled("whatsapp") and not config.enabled("razorpay")
    with pytest.raises(ConfigError, match="DISABLED_PROVIDERS"):
        config.razorpay()


def test_an_unknown_provider_name_cannot_be_disabled() -> None:
    with pytest.raises(ValueError, match="disabled_providers"):
        settings(disabled_providers="twilio,whatsap")


def test_outside_the_sandbox_no_accessor_hands_out_the_public_fake_secrets() -> None:
    config = production_settings(POSTGRES, REDIS)
    keys = [config.twilio(), config.whatsapp(), config.razorpay()]
    assert not any(key.fake for key in keys)
    incomplete = production_settings(POSTGRES, REDIS, twilio_auth_token=None)
    with pytest.raises(ConfigError, match="TWILIO_AUTH_TOKEN"):
        incomplete.twilio()


EXAMPLE_KEYS = [
    "",
    "x",
    "change-me",
    "change-me-in-production",
    "ci-only-secret",
    "test-secret",
    "CHANGE-ME",
    "x" * 64,
    "replace-me-with-the-output-of-bookline-secret",
]


@pytest.mark.parametrize("key", EXAMPLE_KEYS)
def test_a_weak_or_example_secret_key_stops_the_start(key: str) -> None:
    message = refusal(production_settings(POSTGRES, REDIS, secret_key=key))
    assert "SECRET_KEY" in message


def test_a_weak_key_is_refused_on_the_embedded_default_too() -> None:
    assert "SECRET_KEY" in refusal(settings(database_url="sqlite:///x.db", secret_key="change-me"))


def test_a_real_stack_without_a_secret_key_stops_the_start() -> None:
    message = refusal(production_settings(POSTGRES, REDIS, secret_key=None))
    assert "SECRET_KEY must be set" in message


@pytest.mark.parametrize("token", ["metrics-token", "x" * 64, "change-me"])
def test_a_weak_metrics_token_stops_the_start(token: str) -> None:
    """Whoever guesses the token reads bookings, payments and queue depths off /metrics."""
    message = refusal(production_settings(POSTGRES, REDIS, metrics_token=token))
    assert "METRICS_TOKEN" in message


def test_a_strong_metrics_token_or_none_starts() -> None:
    for token in (new_secret_key(), None, ""):
        production_settings(POSTGRES, REDIS, metrics_token=token).check()


def test_fresh_keys_are_strong_and_differ() -> None:
    first, second = new_secret_key(), new_secret_key()
    assert first != second
    assert (
        secret_problem("SECRET_KEY", first) is None
        and secret_problem("SECRET_KEY", SECRET_KEY) is None
    )


def test_real_keys_on_the_embedded_default_turn_the_sandbox_off_and_name_what_is_missing() -> None:
    """A small venue on SQLite with real Twilio keys and no Razorpay ones: its guests must
    never get a fake payment link that anyone can 'pay'."""
    config = settings(
        database_url="sqlite:///x.db", twilio_account_sid="AC" + "7e11" * 8, twilio_auth_token="t"
    )
    assert not config.sandbox
    assert not config.faked("razorpay")
    message = refusal(config)
    assert "RAZORPAY_KEY_ID" in message and "WHATSAPP_TOKEN" in message


def test_an_asked_for_sandbox_never_fakes_a_partly_configured_provider() -> None:
    config = settings(
        database_url="sqlite:///x.db",
        bookline_sandbox=True,
        razorpay_key_id="rzp_live_RealVenue01",
        razorpay_key_secret="a-real-razorpay-key-secret",
    )
    assert config.faked("twilio") and config.faked("whatsapp")
    assert not config.faked("razorpay")
    assert "RAZORPAY_WEBHOOK_SECRET" in refusal(config)
