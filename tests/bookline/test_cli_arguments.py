"""What ``bookline`` says about itself, and arguments refused before anything is written."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from bookline.cli import build_parser
from tests.settings import sandbox_env


def _bookline(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bookline", *args],
        env={k: v for k, v in sandbox_env(**env).items() if k != "REDIS_URL"},
        cwd=cwd,  # no .env of the checkout's
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_version_prints_the_installed_version(tmp_path: Path) -> None:
    shown = _bookline("--version", cwd=tmp_path)
    assert shown.returncode == 0
    assert shown.stdout.strip() == f"bookline {metadata.version('bookline')}"


def _parsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    """``parser`` and every subcommand's parser under it."""
    found = [parser]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                found += _parsers(sub)
    return found


def test_every_option_with_a_default_shows_it_in_help() -> None:
    for parser in _parsers(build_parser()):
        text = " ".join(parser.format_help().split())
        for action in parser._actions:
            if action.option_strings and action.default not in (None, argparse.SUPPRESS):
                assert f"(default: {action.default})" in text, (parser.prog, action.dest)


def test_seed_with_too_long_a_history_fails_before_writing_anything(tmp_path: Path) -> None:
    database = tmp_path / "bookline.db"
    seeded = _bookline(
        "seed", "--demo", "--history", "730", cwd=tmp_path, DATABASE_URL=f"sqlite:///{database}"
    )
    assert seeded.returncode != 0
    assert "history can be 0 to 366 days" in seeded.stderr
    assert "ready" not in seeded.stdout
    assert not database.exists(), "the database was written before the arguments were checked"
    assert not os.listdir(tmp_path)
