"""Route modules of the owner API, each a thin adapter over engine services."""
