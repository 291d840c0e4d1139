"""Owner-API authentication: JWT access tokens, rotating refresh tokens, login rate limits."""
