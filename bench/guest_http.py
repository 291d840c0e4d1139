"""One simulated guest's HTTP/1.1 connection to the app, written and read with asyncio streams.

The load generator shares a 2-core machine with the stack it measures, so every millisecond it
spends is one the stack lacks. One ``httpx.AsyncClient`` pooling a connection per guest cost
~9.6 ms of CPU per webhook at 200 guests: httpcore scans every pooled connection (a readability
syscall each) whenever it hands one out or gets one back. A connection of the guest's own costs
~0.3 ms a webhook (signing included) for the same bytes on the wire: a plain keep-alive POST
(``Host``, ``Content-Length``, the caller's headers, the body) and a ``Content-Length`` reply.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

USER_AGENT = "TwilioProxy/1.1"


@dataclass
class Reply:
    """What the app answered: its status code and body."""

    status_code: int
    body: bytes


class GuestConnection:
    """A keep-alive connection to ``base_url``, reopened once idle for ``keepalive`` seconds
    (below the server's own keep-alive timeout, so a reused connection is never one the server
    is closing just then) or when the server said ``Connection: close``."""

    def __init__(self, base_url: str, keepalive: float, timeout: float) -> None:
        parts = urlsplit(base_url)
        if parts.scheme != "http" or parts.hostname is None or parts.port is None:
            raise ValueError(f"need http://host:port, got {base_url!r}")
        self.host, self.port, self.authority = parts.hostname, parts.port, parts.netloc
        self.keepalive = keepalive
        self.timeout = timeout
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        self.last_used = 0.0

    async def post(self, path: str, body: bytes, headers: dict[str, str]) -> Reply:
        """POST ``body`` to ``path`` and read the whole reply (within ``timeout`` seconds)."""
        async with asyncio.timeout(self.timeout):
            reader, writer = await self._streams()
            lines = [f"POST {path} HTTP/1.1", f"Host: {self.authority}"]
            lines += [f"User-Agent: {USER_AGENT}", "Accept: */*", f"Content-Length: {len(body)}"]
            lines += [f"{name}: {value}" for name, value in headers.items()]
            writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
            reply, close = await _read_reply(reader)
        self.last_used = time.monotonic()
        if close:
            await self.close()
        return reply

    async def close(self) -> None:
        """Close the connection (a later ``post`` opens a new one)."""
        if self.streams is not None:
            _reader, writer = self.streams
            self.streams = None
            writer.close()
            try:
                await writer.wait_closed()
            except ConnectionError:
                pass

    async def _streams(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        """The open connection, or a new one when there is none or it sat idle too long."""
        if self.streams is not None and time.monotonic() - self.last_used > self.keepalive:
            await self.close()
        if self.streams is None:
            self.streams = await asyncio.open_connection(self.host, self.port)
        return self.streams


async def _read_reply(reader: asyncio.StreamReader) -> tuple[Reply, bool]:
    """One response: its status and body, and whether the server will close the connection."""
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
    status = int(head[0].split(" ", 2)[1])
    fields: dict[str, str] = {}
    for line in head[1:]:
        name, _, value = line.partition(":")
        if name:
            fields[name.strip().lower()] = value.strip().lower()
    if "transfer-encoding" in fields:
        raise RuntimeError(f"unexpected Transfer-Encoding: {fields['transfer-encoding']}")
    body = await reader.readexactly(int(fields.get("content-length", "0")))
    return Reply(status, body), fields.get("connection") == "close"
