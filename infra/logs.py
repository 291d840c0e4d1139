"""Where a ``bookline`` process's logs go and how they look: text, or one JSON object a line.

``bookline chat`` is a conversation in a terminal: log lines interleaved with it (every HTTP
call, every SDK's chatter) would bury the transcript, so there they go to a file instead.
LOG_FORMAT=json is for a log collector: time, level, logger, message and the context bound
for the work (``infra.log_context``) as fields, so one conversation can be followed.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Literal

from pythonjsonlogger.json import JsonFormatter

from infra.log_context import ContextFilter

LogFormat = Literal["text", "json"]
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
JSON_FIELDS = ("levelname", "name", "message")
JSON_NAMES = {"levelname": "level", "name": "logger"}


class QuietWebhooks(logging.Filter):
    """Drops uvicorn's access line of a provider webhook answered below 400.

    Providers post every message and every delivery status; a line per request is most of a
    busy log and ~7 % of the acknowledgement's CPU. Each message stored is logged by the
    ingest already (with its conversation id); refused webhooks (403, 400, 413) keep theirs.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """False for a successful webhook's access record."""
        args = record.args
        if not isinstance(args, tuple) or len(args) < 5:
            return True
        path, status = str(args[2]), args[4]
        return not (path.startswith("/webhooks/") and isinstance(status, int) and status < 400)


QUIET_WEBHOOKS = QuietWebhooks()
#: The twilio SDK logs every API call at INFO, a line per header: ten lines and ~0.3 ms of a
#: worker's CPU per reply, saying nothing the outbox's "sent" line does not. Its warnings stay,
#: and LOG_LEVEL=debug shows it all again.
CHATTY_SDK_LOGGERS = ("twilio.http_client",)


def configure_logging(level: str, fmt: LogFormat = "text", *, file: Path | None = None) -> None:
    """Send the root logger's records at ``level`` and above to stderr, or to ``file``."""
    if file is not None:
        file.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(file) if file else logging.StreamHandler()
    handler.setFormatter(_formatter(fmt))
    handler.addFilter(ContextFilter())
    # force: replaces what an earlier call set up, the last word is the command's.
    logging.basicConfig(level=level.upper(), handlers=[handler], force=True)
    logging.getLogger("uvicorn.access").addFilter(QUIET_WEBHOOKS)  # once: the same instance
    quiet = logging.WARNING if logging.getLogger().level > logging.DEBUG else logging.NOTSET
    for name in CHATTY_SDK_LOGGERS:
        logging.getLogger(name).setLevel(quiet)


def _formatter(fmt: LogFormat) -> logging.Formatter:
    if fmt == "json":
        return JsonFormatter(JSON_FIELDS, rename_fields=JSON_NAMES, timestamp="time")
    return logging.Formatter(TEXT_FORMAT)
