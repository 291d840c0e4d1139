"""``python -m bookline`` is the ``bookline`` command."""

from bookline.cli import main

main()
