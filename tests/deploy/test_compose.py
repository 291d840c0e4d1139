"""docker-compose.yml and .env.example, checked for shape (no Docker here to run them).

``interpolate`` does what ``docker compose config`` does with ``${VAR}``, ``${VAR:-default}``
and ``${VAR:?message}``, so "compose refuses to start without SECRET_KEY" is tested as such.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from infra.settings import Settings, new_secret_key, secret_problem
from tests.settings import REAL_PROVIDER_KEYS

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = (ROOT / "docker-compose.yml").read_text()
ENV_EXAMPLE = ROOT / ".env.example"
VARIABLE = re.compile(r"\$\{(\w+)(?:(:?[-?])([^}]*))?\}")


class MissingVariable(Exception):
    """What ``docker compose config`` reports for an unset ``${VAR:?message}``."""


def interpolate(text: str, env: dict[str, str]) -> str:
    """``text`` with compose's variable syntax resolved from ``env``."""

    def value(match: re.Match[str]) -> str:
        name, operator, argument = match.group(1), match.group(2) or "", match.group(3) or ""
        given = env.get(name)
        if operator.endswith("?") and not (given if operator == ":?" else given is not None):
            raise MissingVariable(f"{name}: {argument}")
        if operator.endswith("-") and not (given if operator == ":-" else given is not None):
            return argument
        return given or ""

    return VARIABLE.sub(value, text)


def env_file(path: Path) -> dict[str, str]:
    """The assignments of an env file (comments and blank lines skipped)."""
    lines = [line.strip() for line in path.read_text().splitlines()]
    pairs = [line.split("=", 1) for line in lines if line and not line.startswith("#")]
    return {name.strip(): value.strip() for name, value in pairs}


def resolved(node: Any, env: dict[str, str]) -> Any:
    """Every string in the parsed file interpolated, as compose does after parsing."""
    if isinstance(node, dict):
        return {key: resolved(value, env) for key, value in node.items()}
    if isinstance(node, list):
        return [resolved(item, env) for item in node]
    return interpolate(node, env) if isinstance(node, str) else node


def compose(env: dict[str, str]) -> dict[str, Any]:
    """``docker compose config`` with ``env`` as the .env file (raises MissingVariable)."""
    loaded: dict[str, Any] = resolved(yaml.safe_load(COMPOSE), env)
    return loaded


def filled_example() -> dict[str, str]:
    """.env.example as an operator fills it in: a fresh key, every provider's variables."""
    env = env_file(ENV_EXAMPLE)
    env.update({name.upper(): value for name, value in REAL_PROVIDER_KEYS.items()})
    env["SECRET_KEY"] = new_secret_key()
    return env


def test_compose_without_an_env_file_fails_naming_secret_key() -> None:
    with pytest.raises(MissingVariable, match="SECRET_KEY"):
        compose({})


def test_secret_key_has_no_default_in_compose() -> None:
    """And it is the only variable compose requires, so compose's refusal always names it."""
    assert re.findall(r"\$\{(\w+):\?", COMPOSE) == ["SECRET_KEY"]
    assert not re.search(r"\$\{SECRET_KEY:?-", COMPOSE)


def test_compose_with_a_filled_in_example_gives_a_configuration_that_starts() -> None:
    services = compose(filled_example())["services"]
    environment = services["api"]["environment"]
    assert services["worker"]["environment"] == environment
    settings = Settings(_env_file=None, **{k.lower(): v for k, v in environment.items()})
    assert not settings.sandbox
    assert settings.problems() == []


def test_compose_with_blank_provider_variables_does_not_start() -> None:
    env = {**env_file(ENV_EXAMPLE), "SECRET_KEY": new_secret_key()}
    environment = compose(env)["services"]["api"]["environment"]
    settings = Settings(_env_file=None, **{k.lower(): v for k, v in environment.items()})
    (problem,) = settings.problems()
    assert "TWILIO_AUTH_TOKEN" in problem and "RAZORPAY_WEBHOOK_SECRET" in problem


def test_no_service_seeds_the_demo_unless_its_profile_is_asked_for() -> None:
    for name, service in compose(filled_example())["services"].items():
        command = " ".join(service.get("command") or [])
        if "seed" in command:
            assert service.get("profiles") == ["demo"], name


def test_every_variable_in_the_env_example_is_one_bookline_reads() -> None:
    known = {name.upper() for name in Settings.model_fields}
    assert set(env_file(ENV_EXAMPLE)) <= known


def test_the_env_examples_placeholder_key_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    placeholder = env_file(ENV_EXAMPLE)["SECRET_KEY"]
    assert secret_problem("SECRET_KEY", placeholder) is not None
    for name in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL"):
        monkeypatch.delenv(name, raising=False)  # the file alone, as `bookline` reads it
    settings = Settings(_env_file=ENV_EXAMPLE)  # type: ignore[call-arg]
    assert any("SECRET_KEY" in problem for problem in settings.problems())
