"""Settings from the environment / ``.env`` (the names are a contract, see README).

Every check of the configuration lives here, in ``Settings.check``: the app factory,
``bookline serve`` and ``bookline worker`` call it before anything starts, so no process runs
with a provider faked by accident, a forgeable SECRET_KEY or an example secret.

The sandbox (the built-in fake providers, whose credentials are public) is a mode asked for,
never a fallback: on by default only on the embedded default, where nothing is reachable by a
real guest. Outside it every enabled provider needs all of its variables.
"""

from __future__ import annotations

import re
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal, NamedTuple, get_args

from pydantic import SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

EMBEDDED_STATE_DIR = Path(".bookline")
#: The Graph API version Bookline speaks, appended to a WHATSAPP_API_BASE without one.
WHATSAPP_API_VERSION = "v21.0"
VERSIONED = re.compile(r"/v\d+(\.\d+)?$")

Provider = Literal["twilio", "whatsapp", "razorpay"]
PROVIDERS: tuple[Provider, ...] = get_args(Provider)
#: Every variable a provider needs; one missing means the provider cannot run.
PROVIDER_VARIABLES: dict[Provider, tuple[str, ...]] = {
    "twilio": ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN"),
    "whatsapp": ("WHATSAPP_TOKEN", "WHATSAPP_APP_SECRET", "WHATSAPP_VERIFY_TOKEN"),
    "razorpay": ("RAZORPAY_KEY_ID", "RAZORPAY_KEY_SECRET", "RAZORPAY_WEBHOOK_SECRET"),
}

#: HS256 keys shorter than this can be searched; 32 bytes is the hash's own size.
MIN_SECRET_KEY_BYTES = 32
#: A key this repository ever showed as an example (docs, compose, CI, tests, .env.example):
#: anyone can read them, so a deployment using one has forgeable tokens.
EXAMPLE_SECRET_KEYS = frozenset(
    {
        "change-me",
        "change-me-in-production",
        "changeme",
        "secret",
        "test",
        "test-secret",
        "ci-only-secret",
        "bench-secret-key",
        "replace-me-with-the-output-of-bookline-secret",
    }
)
#: A key of fewer distinct characters than this is a pattern, not a secret ("xxxx…").
MIN_DISTINCT_KEY_CHARACTERS = 8


def new_secret_key() -> str:
    """A fresh random SECRET_KEY (64 URL-safe characters, 384 random bits)."""
    return secrets.token_urlsafe(48)


def secret_problem(name: str, value: str) -> str | None:
    """Why ``value`` must not serve as the secret ``name`` (signing key, bearer token), or None
    when it is strong enough: anyone who guesses it forges tokens or reads what it guards."""
    size = len(value.encode())
    hint = "`bookline secret` prints a fresh one"
    if value.strip().lower() in EXAMPLE_SECRET_KEYS:
        return f"{name} is an example value published with Bookline; {hint}."
    if size < MIN_SECRET_KEY_BYTES:
        return f"{name} is {size} bytes; it needs at least {MIN_SECRET_KEY_BYTES} ({hint})."
    if len(set(value)) < MIN_DISTINCT_KEY_CHARACTERS:
        return f"{name} repeats a few characters; it must be random ({hint})."
    return None


class ConfigError(RuntimeError):
    """The configuration cannot run; ``problems`` names every variable at fault."""

    def __init__(self, problems: list[str]) -> None:
        lines = "\n".join(f"- {problem}" for problem in problems)
        super().__init__(f"Bookline cannot start with this configuration:\n{lines}")
        self.problems = problems


class ProviderKeys(NamedTuple):
    """Credentials and API base of a provider with an id/secret pair."""

    key_id: str
    secret: str
    api_base: str
    fake: bool


class WhatsAppKeys(NamedTuple):
    """Meta Cloud API credentials and the versioned Graph base URL."""

    token: str
    app_secret: str
    verify_token: str
    graph_base: str
    fake: bool


class RazorpayKeys(NamedTuple):
    """Razorpay API key pair, webhook secret and API base."""

    key_id: str
    key_secret: str
    webhook_secret: str
    api_base: str
    fake: bool


def _text(value: SecretStr | str | None) -> str:
    """A setting's value as text ("" when unset)."""
    if isinstance(value, SecretStr):
        return value.get_secret_value()
    return value or ""


class Settings(BaseSettings):
    """Every knob Bookline reads; ``check`` says whether they can run."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = "sqlite:///./bookline.db"
    #: Connections each process keeps open, and how many more it may open under a burst.
    #: Sized for the ~40 threads of the request threadpool without holding PostgreSQL's
    #: default 100 connections hostage: several API processes and workers share them.
    database_pool_size: int = 10
    database_max_overflow: int = 10
    redis_url: str | None = None
    public_base_url: str = "http://127.0.0.1:8000"
    secret_key: SecretStr | None = None
    log_level: str = "INFO"
    #: LOG_FORMAT: "text" for a terminal, "json" (one object a line) for a log collector.
    log_format: Literal["text", "json"] = "text"
    #: Peers whose X-Forwarded-For / X-Forwarded-Proto are believed (comma list of addresses or
    #: networks, ``*`` for any): the TLS proxy or load balancer in front. Nobody by default.
    forwarded_allow_ips: str = ""
    #: BOOKLINE_SANDBOX: serve the built-in fake providers and the sandbox routes; unset means
    #: on for the embedded default only (read it through ``sandbox``).
    bookline_sandbox: bool | None = None
    #: Public business registration at /api/v1/auth/register.
    allow_signup: bool = False
    #: Providers this deployment does not use ("whatsapp,razorpay"): their webhooks answer 404
    #: and whatever would go through them fails for good, saying so.
    disabled_providers: Annotated[frozenset[Provider], NoDecode] = frozenset()

    twilio_account_sid: str | None = None
    twilio_auth_token: SecretStr | None = None
    twilio_api_base: str = "https://api.twilio.com"
    #: The SharedKey secret, for webhooks Twilio signs with a SharedKey (they carry
    #: X-Twilio-Webhooks-Signature-Settings); others are signed with the auth token.
    twilio_webhook_secret: SecretStr | None = None

    whatsapp_token: SecretStr | None = None
    whatsapp_app_secret: SecretStr | None = None
    whatsapp_verify_token: SecretStr | None = None
    whatsapp_api_base: str = "https://graph.facebook.com"

    razorpay_key_id: str | None = None
    razorpay_key_secret: SecretStr | None = None
    razorpay_webhook_secret: SecretStr | None = None
    razorpay_api_base: str = "https://api.razorpay.com"

    @field_validator("disabled_providers", mode="before")
    @classmethod
    def _split_names(cls, value: object) -> object:
        """DISABLED_PROVIDERS is a comma-separated list of provider names."""
        if isinstance(value, str):
            return frozenset(name.strip().lower() for name in value.split(",") if name.strip())
        return value

    @property
    def embedded(self) -> bool:
        """True on the zero-setup default: SQLite and no Redis server."""
        return self.database_url.startswith("sqlite") and self.redis_url is None

    @property
    def sandbox(self) -> bool:
        """Fake providers and sandbox routes: as BOOKLINE_SANDBOX says; unset, only on the
        embedded default with no provider configured at all (a machine given real keys is
        serving real guests, who must never meet a fake)."""
        if self.bookline_sandbox is not None:
            return self.bookline_sandbox
        return self.embedded and not any(self.configured(p) for p in PROVIDERS)

    @property
    def fake_provider_base(self) -> str:
        """Base URL of the built-in fake providers served by this app (sandbox only)."""
        from fakeproviders.config import FAKE_PROVIDER_PATH

        return self.public_base_url.rstrip("/") + FAKE_PROVIDER_PATH

    def trusted_proxies(self) -> list[str]:
        """FORWARDED_ALLOW_IPS as a list (empty: the connecting peer is the client)."""
        return [item.strip() for item in self.forwarded_allow_ips.split(",") if item.strip()]

    def enabled(self, provider: Provider) -> bool:
        """False for a provider listed in DISABLED_PROVIDERS."""
        return provider not in self.disabled_providers

    def missing(self, provider: Provider) -> list[str]:
        """The provider's variables that are unset or blank."""
        names = PROVIDER_VARIABLES[provider]
        return [name for name in names if not _text(getattr(self, name.lower()))]

    def configured(self, provider: Provider) -> bool:
        """True when any of the provider's variables is set."""
        return len(self.missing(provider)) < len(PROVIDER_VARIABLES[provider])

    def faked(self, provider: Provider) -> bool:
        """True when the sandbox's fake stands in: sandbox on, provider enabled and none of its
        variables set (a partial configuration is a mistake to name, never a fake)."""
        return self.sandbox and self.enabled(provider) and not self.configured(provider)

    def problems(self) -> list[str]:
        """Every reason this configuration must not run, each naming its variables."""
        found = (self._key_problem(), self._metrics_problem(), self._provider_problem())
        return [problem for problem in found if problem]

    def check(self) -> None:
        """Raise ConfigError listing every problem; return quietly when the settings can run."""
        if found := self.problems():
            raise ConfigError(found)

    def _key_problem(self) -> str | None:
        if self.secret_key is None:
            if self.embedded:
                return None  # generated and kept in .bookline/ (``signing_key``)
            return "SECRET_KEY must be set when DATABASE_URL or REDIS_URL is set."
        return secret_problem("SECRET_KEY", self.secret_key.get_secret_value())

    def _metrics_problem(self) -> str | None:
        """A set METRICS_TOKEN must be as hard to guess as the signing key: ``/metrics`` tells
        bookings, payments and queue depths to whoever holds it. Blank is unset (compose
        passes the variable through empty), and ``/metrics`` then answers 404."""
        token = self.metrics_token.get_secret_value() if self.metrics_token else ""
        return secret_problem("METRICS_TOKEN", token) if token else None

    def _provider_problem(self) -> str | None:
        incomplete = [p for p in PROVIDERS if self.enabled(p) and not self.faked(p)]
        missing = [name for p in incomplete for name in self.missing(p)]
        if not missing:
            return None
        return (
            f"Missing provider configuration: {', '.join(missing)}. Set them, or list the "
            "provider in DISABLED_PROVIDERS (twilio, whatsapp, razorpay) if this venue does "
            "not use it; BOOKLINE_SANDBOX=1 runs the built-in fakes instead, for trials only."
        )

    def _require(self, provider: Provider) -> None:
        """Refuse to hand out keys for a disabled or incompletely configured provider."""
        if not self.enabled(provider):
            raise ConfigError([f"{provider} is disabled by DISABLED_PROVIDERS."])
        if missing := self.missing(provider):
            raise ConfigError([f"{provider} needs {', '.join(missing)}."])

    def twilio(self) -> ProviderKeys:
        """Twilio account, token and API base; the sandbox's fake only in sandbox mode."""
        if self.faked("twilio"):
            from fakeproviders import credentials as fake

            base = self.fake_provider_base
            return ProviderKeys(
                fake.FAKE_TWILIO_ACCOUNT_SID, fake.FAKE_TWILIO_AUTH_TOKEN, base, fake=True
            )
        self._require("twilio")
        return ProviderKeys(
            _text(self.twilio_account_sid),
            _text(self.twilio_auth_token),
            self.twilio_api_base.rstrip("/"),
            fake=False,
        )

    def twilio_signing_secret(self, *, shared_key: bool) -> str:
        """The secret a Twilio webhook was signed with: the SharedKey secret when the request
        names a SharedKey and one is configured, else the account's auth token."""
        if shared_key and self.twilio_webhook_secret is not None:
            return _text(self.twilio_webhook_secret)
        return self.twilio().secret

    def whatsapp(self) -> WhatsAppKeys:
        """Cloud API token, app secret, verify token and versioned Graph base URL."""
        if self.faked("whatsapp"):
            from fakeproviders import credentials as fake

            return WhatsAppKeys(
                fake.FAKE_WHATSAPP_TOKEN,
                fake.FAKE_WHATSAPP_APP_SECRET,
                fake.FAKE_WHATSAPP_VERIFY_TOKEN,
                f"{self.fake_provider_base}/{fake.FAKE_GRAPH_VERSION}",
                fake=True,
            )
        self._require("whatsapp")
        base = self.whatsapp_api_base.rstrip("/")
        return WhatsAppKeys(
            token=_text(self.whatsapp_token),
            app_secret=_text(self.whatsapp_app_secret),
            verify_token=_text(self.whatsapp_verify_token),
            graph_base=base if VERSIONED.search(base) else f"{base}/{WHATSAPP_API_VERSION}",
            fake=False,
        )

    def razorpay(self) -> RazorpayKeys:
        """Razorpay keys, webhook secret and API base; the sandbox's fake only in sandbox mode."""
        if self.faked("razorpay"):
            from fakeproviders import credentials as fake

            return RazorpayKeys(
                fake.FAKE_RAZORPAY_KEY_ID,
                fake.FAKE_RAZORPAY_KEY_SECRET,
                fake.FAKE_RAZORPAY_WEBHOOK_SECRET,
                self.fake_provider_base,
                fake=True,
            )
        self._require("razorpay")
        return RazorpayKeys(
            _text(self.razorpay_key_id),
            _text(self.razorpay_key_secret),
            _text(self.razorpay_webhook_secret),
            self.razorpay_api_base.rstrip("/"),
            fake=False,
        )

    def signing_key(self) -> str:
        """The JWT key: as set (``check`` vets it), or generated once and kept if embedded."""
        if self.secret_key is not None:
            return self.secret_key.get_secret_value()
        if problem := self._key_problem():
            raise ConfigError([problem])
        path = EMBEDDED_STATE_DIR / "secret_key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(new_secret_key())
            path.chmod(0o600)
        return path.read_text().strip()

    #: Bearer token Prometheus sends to scrape ``/metrics``; unset, ``/metrics`` is a 404.
    metrics_token: SecretStr | None = None


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
