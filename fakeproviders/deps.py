"""FastAPI dependencies of the fake: its state and config, and fault injection per provider."""

from __future__ import annotations

import asyncio
import base64
import binascii
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Depends, Request

from fakeproviders.config import FakeConfig
from fakeproviders.exceptions import FakeProviderError
from fakeproviders.state import FakeState, Provider


def get_state(request: Request) -> FakeState:
    """The app's recorder (set by ``create_fake_app``)."""
    state: FakeState = request.app.state.fake_state
    return state


def get_config(request: Request) -> FakeConfig:
    """The app's config, read per request so later changes (e.g. ``app_url``) apply."""
    config: FakeConfig = request.app.state.fake_config
    return config


StateDep = Annotated[FakeState, Depends(get_state)]
ConfigDep = Annotated[FakeConfig, Depends(get_config)]


def fault_injector(
    provider: Provider, error_body: Callable[[], dict[str, Any]]
) -> Callable[[FakeState], Awaitable[None]]:
    """A route dependency that applies the delay and armed-500 knobs for ``provider``.

    The delay is awaited, not slept, so one slow answer does not stall other requests.
    """

    async def inject(state: StateDep) -> None:
        knobs = state.knobs()
        if knobs.delay_seconds > 0 and knobs.delay_provider in (None, provider):
            await asyncio.sleep(knobs.delay_seconds)
        if state.take_failure(provider):
            raise FakeProviderError(500, error_body())

    return inject


async def hang_after_accept(state: FakeState) -> None:
    """Hold the answer to an accepted send (the "provider has it, sender does not know" window)."""
    delay = state.knobs().hang_after_accept_seconds
    if delay > 0:
        await asyncio.sleep(delay)


def basic_credentials(header: str | None) -> tuple[str, str] | None:
    """(username, password) from an ``Authorization: Basic`` header, or None."""
    scheme, _, encoded = (header or "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        user, sep, password = base64.b64decode(encoded).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return (user, password) if sep else None
