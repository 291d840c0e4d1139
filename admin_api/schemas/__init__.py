"""Request and response bodies of the owner API (pydantic), one module per area."""
