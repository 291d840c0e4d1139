"""The owner dashboard: a no-build single-page app (HTML, ES modules, CSS) over the owner API."""
