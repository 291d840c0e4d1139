"""Bookline booking engine: the pure domain (models, services, rules).

Nothing here imports a web framework or a provider SDK; adapters call the services and map
``engine.exceptions`` to HTTP responses or chat replies at their edge.
"""
