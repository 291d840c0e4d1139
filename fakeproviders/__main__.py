"""``python -m fakeproviders``: run the fake providers in the foreground."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from fakeproviders.app import create_fake_app
from fakeproviders.config import FakeConfig
from fakeproviders.server import serve_forever


def main(argv: Sequence[str] | None = None) -> None:
    """Parse host/port/app URL and serve the fake with the default fake credentials."""
    parser = argparse.ArgumentParser(prog="python -m fakeproviders")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8900)
    parser.add_argument("--app-url", default="http://127.0.0.1:8000", help="the Bookline app")
    parser.add_argument("--public-base-url", default=None, help="PUBLIC_BASE_URL of the app")
    args = parser.parse_args(argv)
    config = FakeConfig(app_url=args.app_url, public_base_url=args.public_base_url)
    serve_forever(create_fake_app(config), args.host, args.port)


if __name__ == "__main__":
    main()
