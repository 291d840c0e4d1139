"""The ceiling for ``webhook_ingest.py``: one FastAPI POST route and nothing else.

It answers the same empty TwiML as Bookline's ``POST /webhooks/twilio/sms`` without reading,
verifying or storing anything. Served like Bookline (one uvicorn process)::

    /tmp/venv/bin/python -m uvicorn bare_app:app --app-dir bench --port 8001
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import Response

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>'

app = FastAPI(title="bare ceiling")


@app.post("/webhooks/twilio/sms", response_class=Response)
async def inbound_sms() -> Response:
    """Acknowledge at once with an empty TwiML document."""
    return Response(EMPTY_TWIML, media_type="text/xml")
