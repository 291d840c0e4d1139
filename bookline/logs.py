"""Where a ``bookline`` process's logs go: stderr, or a file for the interactive tools.

``bookline chat`` is a conversation in a terminal: log lines interleaved with it (every HTTP
call, every SDK's chatter) would bury the transcript, so there they go to a file instead.
"""

from __future__ import annotations

import logging
from pathlib import Path

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(level: str, *, file: Path | None = None) -> None:
    """Send the root logger's records at ``level`` and above to stderr, or to ``file``."""
    if file is not None:
        file.parent.mkdir(parents=True, exist_ok=True)
    logging.basicConfig(
        level=level.upper(),
        format=TEXT_FORMAT,
        filename=file,
        force=True,  # replaces what an earlier call set up: the last word is the command's
    )
