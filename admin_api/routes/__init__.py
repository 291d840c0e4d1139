"""Route modules of the owner API, each a thin adapter over engine services (``scoped``: the
lookups by id they share, inside the caller's business)."""
