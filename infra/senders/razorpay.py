"""Talking to Razorpay with the ``razorpay`` SDK: payment links and refunds.

The client is pointed at RAZORPAY_API_BASE (the local fake in tests and on the embedded
default). The SDK sets no HTTP timeout, so its requests session carries one: a hung provider
cannot hang a worker, and reads the environment's proxy settings once (``infra.senders.http``).
Razorpay's own refusals (``BadRequestError``) are permanent; its outages
(``ServerError``/``GatewayError``) and network failures are transient and worth retrying.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import razorpay
import requests
from razorpay.errors import BadRequestError, GatewayError, ServerError

from engine.payments.service import CreatedLink, LinkRequest
from infra.senders.base import PermanentSendError, TransientSendError
from infra.senders.http import pin_environment
from infra.settings import RazorpayKeys

HTTP_TIMEOUT_SECONDS = 10.0
#: Link statuses worth adopting when the reference already has a link (a retried create).
ADOPTABLE = ("created", "partially_paid", "paid")


class TimeoutSession(requests.Session):
    """A requests session whose every call has a timeout unless one is given."""

    def __init__(self, timeout: float) -> None:
        super().__init__()
        self.timeout = timeout

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        """Every request the SDK makes goes through here: give it the deadline."""
        kwargs.setdefault("timeout", self.timeout)
        return super().request(method, url, *args, **kwargs)


class VersionedClient(razorpay.Client):  # type: ignore[misc]
    """The SDK's client with its own version read once: it otherwise looks it up in the
    installed packages' metadata for the User-Agent of every request (a scan of site-packages,
    0.3 ms of CPU a call)."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._version = str(super()._get_version())

    def _get_version(self) -> str:
        return self._version


@dataclass(frozen=True)
class RefundResult:
    """A refund as Razorpay reports it."""

    refund_id: str
    status: str


def _call(method: Callable[..., Any], *args: Any) -> Any:
    """Run one SDK call, sorting its failures into permanent and transient."""
    try:
        return method(*args)
    except BadRequestError as exc:
        raise PermanentSendError(f"razorpay refused: {exc}") from exc
    except (ServerError, GatewayError) as exc:
        raise TransientSendError(f"razorpay error: {exc}") from exc
    except (requests.RequestException, ValueError) as exc:
        raise TransientSendError(f"razorpay unreachable: {exc!r}") from exc


def _link_body(request: LinkRequest) -> dict[str, Any]:
    return {
        "amount": request.amount,
        "currency": request.currency,
        "accept_partial": False,
        "reference_id": request.reference,
        "description": request.description,
        "customer": {"name": request.customer_name or "", "contact": request.customer_contact},
        "notify": {"sms": False, "email": False},
        "reminder_enable": False,
        "expire_by": int(request.expire_by.timestamp()),
        "notes": request.notes,
    }


def _created(link: dict[str, Any]) -> CreatedLink:
    return CreatedLink(
        link_id=str(link["id"]),
        short_url=str(link["short_url"]),
        status=str(link["status"]),
        amount=int(link["amount"]),
        currency=str(link["currency"]),
        reference=str(link["reference_id"]),
        expire_by=datetime.fromtimestamp(int(link["expire_by"]), UTC),
        order_id=link.get("order_id"),
    )


class RazorpayGateway:
    """Payment links and refunds for one set of keys."""

    def __init__(self, keys: RazorpayKeys, *, timeout: float = HTTP_TIMEOUT_SECONDS) -> None:
        session = TimeoutSession(timeout)
        pin_environment(session, keys.api_base)
        self.client = VersionedClient(
            session=session,
            auth=(keys.key_id, keys.key_secret),
            base_url=keys.api_base,
        )

    def create_link(self, request: LinkRequest) -> CreatedLink:
        """Create the booking's link, or adopt the one Razorpay already has for its reference.

        ``reference_id`` is unique at Razorpay, so a create retried after a lost answer is
        refused, and the link the first attempt made is fetched instead: never two links.
        """
        try:
            return _created(_call(self.client.payment_link.create, _link_body(request)))
        except PermanentSendError:
            existing = self.find_link(request.reference)
            if existing is None or existing.status not in ADOPTABLE:
                raise
            return existing

    def find_link(self, reference: str) -> CreatedLink | None:
        """The link Razorpay holds for ``reference``, if any."""
        answer = _call(self.client.payment_link.all, {"reference_id": reference})
        links = [x for x in answer.get("payment_links", []) if x.get("reference_id") == reference]
        return _created(links[0]) if links else None

    def cancel_link(self, link_id: str) -> str:
        """Cancel an unpaid link; returns its new status."""
        return str(_call(self.client.payment_link.cancel, link_id)["status"])

    def refund(
        self, payment_id: str, *, amount: int, receipt: str, notes: dict[str, str]
    ) -> RefundResult:
        """Refund ``amount`` of a payment (the amount goes inside the data dict)."""
        data = {"amount": amount, "speed": "normal", "receipt": receipt, "notes": notes}
        answer = _call(self.client.payment.refund, payment_id, data)
        return RefundResult(str(answer["id"]), str(answer["status"]))

    def find_refund(self, payment_id: str, receipt: str) -> RefundResult | None:
        """After a crash mid-refund: the refund with our ``receipt``, if Razorpay has it."""
        answer = _call(self.client.payment.fetch_multiple_refund, payment_id)
        found = [r for r in answer.get("items", []) if r.get("receipt") == receipt]
        return RefundResult(str(found[0]["id"]), str(found[0]["status"])) if found else None
