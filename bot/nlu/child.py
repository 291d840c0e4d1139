"""Running scikit-learn away from the long-lived processes, and caching what it fitted.

Importing scikit-learn costs a process ~85 MB it never gives back, and the processes that
answer guests (workers) live long. So a model is fitted by a short-lived child process
(``python -m <module> …``) that writes its arrays to a cache file and exits; processes that
find the file missing at the same moment take turns on a lock on the cache directory, so one
of them fits and the others read its file. A child that fails or hangs raises
``TrainingError`` with the tail of its stderr.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from bot.nlu.exceptions import TrainingError

CACHE_DIR_ENV = "BOOKLINE_CACHE_DIR"
#: Fitting takes a few seconds, a minute on a very busy host; a child still at it is stuck.
TRAINING_TIMEOUT_SECONDS = 300.0
#: How much of a failed child's stderr the error carries (its traceback's last lines).
STDERR_TAIL_CHARS = 2000


def default_cache_dir() -> Path:
    """``$BOOKLINE_CACHE_DIR`` if set, else ``~/.cache/bookline``."""
    configured = os.environ.get(CACHE_DIR_ENV)
    return Path(configured) if configured else Path.home() / ".cache" / "bookline"


def run_child(module: str, args: Sequence[str], *, what: str) -> None:
    """Run ``python -m module args…`` to fit ``what`` ("the intent model"); raise if it fails."""
    argv = [sys.executable, "-m", module, *args]
    try:
        child = subprocess.run(
            argv, capture_output=True, text=True, timeout=TRAINING_TIMEOUT_SECONDS, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise TrainingError(
            f"training {what} took over {TRAINING_TIMEOUT_SECONDS:.0f} s: stopped"
        ) from exc
    if child.returncode != 0:
        raise TrainingError(
            f"training {what} failed (exit {child.returncode}):\n"
            f"{child.stderr[-STDERR_TAIL_CHARS:]}"
        )


@contextmanager
def cache_lock(cache_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock on the cache directory (released when the process ends, too)."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(cache_dir, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


def write_atomically(path: Path, save: Callable[[Path], None]) -> None:
    """Let ``save`` write a temporary file beside ``path``, then move it into place, so
    concurrent readers never see a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".fitting-", suffix=path.suffix)
    os.close(fd)
    try:
        save(Path(temporary))
        os.replace(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)
