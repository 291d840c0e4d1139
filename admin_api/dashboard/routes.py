"""Serves the dashboard page and its static files; ``/`` sends visitors to it.

A plain route rather than a ``StaticFiles`` mount so that one ``include_router`` wires it all,
and so the content types are fixed here instead of depending on the host's mimetypes table
(module scripts must come as JavaScript or the browser refuses them).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse, RedirectResponse

HERE = Path(__file__).parent
STATIC = (HERE / "static").resolve()
INDEX = HERE / "index.html"
CONTENT_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
}
#: Revalidate on every load: a deploy must not leave browsers on a stale mix of modules.
NO_CACHE = {"Cache-Control": "no-cache"}

router = APIRouter(include_in_schema=False)


@router.get("/")
def root() -> RedirectResponse:
    """The site's front door is the dashboard."""
    return RedirectResponse("/dashboard", status_code=307)


@router.get("/dashboard")
def dashboard() -> FileResponse:
    """The single page; hash routes (``#/bookings``) pick the view in the browser."""
    return FileResponse(INDEX, media_type="text/html; charset=utf-8", headers=NO_CACHE)


@router.get("/dashboard/static/{path:path}")
def static_file(path: str) -> FileResponse:
    """A file under ``static/``; anything outside it, or of an unknown type, is a 404."""
    file = (STATIC / path).resolve()
    media_type = CONTENT_TYPES.get(file.suffix)
    if not file.is_relative_to(STATIC) or not file.is_file() or media_type is None:
        raise HTTPException(404, "Not found.")
    return FileResponse(file, media_type=media_type, headers=NO_CACHE)
