"""``create_fake_app``: one FastAPI app speaking every provider's wire format, plus ``/_fake``.

Routers, in order: the control and simulation routes (literal ``/_fake`` paths, so they win over
the WhatsApp catch-all ``/{version}/{phone_number_id}/messages``), the Razorpay checkout
(``/_fake/razorpay/…`` and the short URLs ``/i/{code}``), then Twilio, WhatsApp and Razorpay's
REST API (``/v1/payment_links``, ``/v1/payments/{id}/refund``).
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from fakeproviders import (
    control,
    razorpay_api,
    razorpay_control,
    simulate,
    twilio_api,
    whatsapp_api,
)
from fakeproviders.config import FakeConfig
from fakeproviders.exceptions import FakeProviderError
from fakeproviders.state import FakeState

PROVIDER_ROUTERS = [twilio_api.router, whatsapp_api.router, razorpay_api.router]


async def _provider_error(_request: Request, exc: Exception) -> JSONResponse:
    """Serialise a FakeProviderError in the provider's own error format."""
    assert isinstance(exc, FakeProviderError)
    return JSONResponse(exc.payload, status_code=exc.status_code)


def create_fake_app(config: FakeConfig | None = None) -> FastAPI:
    """Build a fake-provider app; its recorder is ``app.state.fake_state``."""
    config = config or FakeConfig()
    app = FastAPI(title="Bookline fake providers", version="0.1.0")
    app.state.fake_config = config
    app.state.fake_state = FakeState(config.knobs)
    app.add_exception_handler(FakeProviderError, _provider_error)
    app.include_router(control.router)
    app.include_router(simulate.router)
    app.include_router(razorpay_control.router)
    for router in PROVIDER_ROUTERS:
        app.include_router(router)
    return app
