"""What every test app runs with: the sandbox on and a strong SECRET_KEY made fresh per run.

A real stack runs the built-in fake providers only when asked (BOOKLINE_SANDBOX), so tests on
PostgreSQL + Redis ask for them here, as an operator trying Bookline would. The key is random
for each run: no key written in the repository ever signs a token.
"""

from __future__ import annotations

import os
from typing import Any

from bookline.settings import Settings, new_secret_key

SECRET_KEY = new_secret_key()


def sandbox_settings(database_url: str, redis_url: str | None, **overrides: Any) -> Settings:
    """Settings for a test app on ``database_url``/``redis_url``, ignoring any ``.env``."""
    values: dict[str, Any] = {"secret_key": SECRET_KEY, "bookline_sandbox": True, **overrides}
    return Settings(
        database_url=database_url,
        redis_url=redis_url,
        _env_file=None,  # type: ignore[call-arg]
        **values,
    )


def sandbox_env(**values: str) -> dict[str, str]:
    """The environment of a ``bookline`` subprocess of the tests: sandbox on, this run's key."""
    return {**os.environ, "BOOKLINE_SANDBOX": "1", "SECRET_KEY": SECRET_KEY, **values}
