"""Composition root: settings, wiring of database/Redis/queues, the ASGI app and the CLI."""
