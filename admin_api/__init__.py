"""Owner-facing HTTP API and dashboard (FastAPI)."""
