"""Reading a webhook body with a hard size cap (413 beyond it, before anything is parsed)."""

from __future__ import annotations

from fastapi import HTTPException, Request, status

MAX_BODY_BYTES = 64 * 1024


async def read_body(request: Request, *, limit: int = MAX_BODY_BYTES) -> bytes:
    """The raw body, refusing anything over ``limit`` bytes without reading it all."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, "Request body too large.")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, "Request body too large.")
        chunks.append(chunk)
    return b"".join(chunks)
