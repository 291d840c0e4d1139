"""Settings from the environment / ``.env`` (the names are a contract, see README)."""

from __future__ import annotations

import re
import secrets
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from bookline.fakeproviders import credentials as fake

EMBEDDED_STATE_DIR = Path(".bookline")
#: Where the built-in fake providers are mounted inside the app (used when keys are unset).
FAKE_PROVIDER_PATH = "/_fake-providers"
WHATSAPP_API_VERSION = fake.FAKE_GRAPH_VERSION
VERSIONED = re.compile(r"/v\d+(\.\d+)?$")


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
    verify_token: str | None
    graph_base: str
    fake: bool


class RazorpayKeys(NamedTuple):
    """Razorpay API key pair, webhook secret and API base."""

    key_id: str
    key_secret: str
    webhook_secret: str
    api_base: str
    fake: bool


class Settings(BaseSettings):
    """Every knob Bookline reads; unset provider keys mean the built-in fake provider."""

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
    #: Peers whose X-Forwarded-For / X-Forwarded-Proto are believed (comma list of addresses or
    #: networks, ``*`` for any): the TLS proxy or load balancer in front. Nobody by default.
    forwarded_allow_ips: str = ""

    twilio_account_sid: str | None = None
    twilio_auth_token: SecretStr | None = None
    twilio_api_base: str = "https://api.twilio.com"

    whatsapp_token: SecretStr | None = None
    whatsapp_app_secret: SecretStr | None = None
    whatsapp_verify_token: SecretStr | None = None
    whatsapp_api_base: str = "https://graph.facebook.com"

    razorpay_key_id: str | None = None
    razorpay_key_secret: SecretStr | None = None
    razorpay_webhook_secret: SecretStr | None = None
    razorpay_api_base: str = "https://api.razorpay.com"

    @property
    def embedded(self) -> bool:
        """True on the zero-setup default: SQLite and no Redis server."""
        return self.database_url.startswith("sqlite") and self.redis_url is None

    @property
    def fake_provider_base(self) -> str:
        """Base URL of the built-in fake providers served by this app."""
        return self.public_base_url.rstrip("/") + FAKE_PROVIDER_PATH

    def trusted_proxies(self) -> list[str]:
        """FORWARDED_ALLOW_IPS as a list (empty: the connecting peer is the client)."""
        return [item.strip() for item in self.forwarded_allow_ips.split(",") if item.strip()]

    def twilio(self) -> ProviderKeys:
        """Twilio account, token and API base; the fake provider when no account is set."""
        if self.twilio_account_sid and self.twilio_auth_token:
            return ProviderKeys(
                self.twilio_account_sid,
                self.twilio_auth_token.get_secret_value(),
                self.twilio_api_base.rstrip("/"),
                fake=False,
            )
        return ProviderKeys(
            fake.FAKE_TWILIO_ACCOUNT_SID,
            fake.FAKE_TWILIO_AUTH_TOKEN,
            self.fake_provider_base,
            fake=True,
        )

    def whatsapp(self) -> WhatsAppKeys:
        """Cloud API token, app secret, verify token and versioned Graph base URL."""
        if self.whatsapp_token and self.whatsapp_app_secret:
            base = self.whatsapp_api_base.rstrip("/")
            verify = self.whatsapp_verify_token
            return WhatsAppKeys(
                token=self.whatsapp_token.get_secret_value(),
                app_secret=self.whatsapp_app_secret.get_secret_value(),
                verify_token=verify.get_secret_value() if verify else None,
                graph_base=base if VERSIONED.search(base) else f"{base}/{WHATSAPP_API_VERSION}",
                fake=False,
            )
        return WhatsAppKeys(
            fake.FAKE_WHATSAPP_TOKEN,
            fake.FAKE_WHATSAPP_APP_SECRET,
            fake.FAKE_WHATSAPP_VERIFY_TOKEN,
            f"{self.fake_provider_base}/{WHATSAPP_API_VERSION}",
            fake=True,
        )

    def razorpay(self) -> RazorpayKeys:
        """Razorpay keys, webhook secret and API base; the fake provider when keys are unset."""
        if self.razorpay_key_id and self.razorpay_key_secret and self.razorpay_webhook_secret:
            return RazorpayKeys(
                self.razorpay_key_id,
                self.razorpay_key_secret.get_secret_value(),
                self.razorpay_webhook_secret.get_secret_value(),
                self.razorpay_api_base.rstrip("/"),
                fake=False,
            )
        return RazorpayKeys(
            fake.FAKE_RAZORPAY_KEY_ID,
            fake.FAKE_RAZORPAY_KEY_SECRET,
            fake.FAKE_RAZORPAY_WEBHOOK_SECRET,
            self.fake_provider_base,
            fake=True,
        )

    def signing_key(self) -> str:
        """The JWT key: required on a real stack, generated once and kept on the embedded one."""
        if self.secret_key is not None:
            return self.secret_key.get_secret_value()
        if not self.embedded:
            raise RuntimeError("SECRET_KEY must be set when DATABASE_URL or REDIS_URL is set.")
        path = EMBEDDED_STATE_DIR / "secret_key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        return path.read_text().strip()

    #: Bearer token Prometheus sends to scrape ``/metrics``; unset, ``/metrics`` is a 404.
    metrics_token: SecretStr | None = None


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
