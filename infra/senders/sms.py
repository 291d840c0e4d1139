"""Sending SMS (and WhatsApp addressed through Twilio) with the twilio SDK.

The client is pointed at TWILIO_API_BASE so a local fake can stand in. TWILIO_REGION and
TWILIO_EDGE would rewrite that host, and the SDK falls back to ``os.environ`` when given an
empty environment, so both are passed explicitly as empty. Requests go out on a urllib3 pool
(``infra.senders.twilio_http``) instead of the SDK's requests session.
"""

from __future__ import annotations

from datetime import timedelta

from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.rest import Client
from urllib3.exceptions import HTTPError

from infra.senders.base import PermanentSendError, SendTask, TransientSendError
from infra.senders.twilio_http import PooledTwilioClient
from infra.settings import ProviderKeys

HTTP_TIMEOUT_SECONDS = 10
LOOKBACK = timedelta(minutes=5)


class TwilioSender:
    """Messages API sender; ``prefix`` is ``"whatsapp:"`` for Twilio's WhatsApp addressing."""

    def __init__(self, keys: ProviderKeys, *, status_callback: str, prefix: str = "") -> None:
        http_client = PooledTwilioClient(keys.api_base, timeout=HTTP_TIMEOUT_SECONDS)
        self.client = Client(keys.key_id, keys.secret, environment={}, http_client=http_client)
        self.client.api.base_url = keys.api_base
        self.status_callback = status_callback
        self.prefix = prefix

    def send(self, task: SendTask) -> str:
        """Create the message; 5xx/429 and network errors are transient, other 4xx are not."""
        try:
            message = self.client.messages.create(
                to=self.prefix + task.to,
                from_=self.prefix + task.sender_address,
                body=str(task.payload["body"]),
                status_callback=self.status_callback,
            )
        except TwilioRestException as exc:
            error = f"twilio {exc.status} {exc.code}: {exc.msg}"
            if exc.status >= 500 or exc.status == 429:
                raise TransientSendError(error) from exc
            raise PermanentSendError(error) from exc
        except (TwilioException, HTTPError, OSError) as exc:
            raise TransientSendError(f"twilio unreachable: {exc}") from exc
        return str(message.sid)

    def find_sent(self, task: SendTask) -> str | None:
        """Look for the same body to the same number since the interrupted attempt began."""
        try:
            recent = self.client.messages.list(
                to=self.prefix + task.to,
                from_=self.prefix + task.sender_address,
                date_sent_after=task.started_at - LOOKBACK,
                limit=50,
            )
        except (TwilioException, HTTPError, OSError) as exc:
            raise TransientSendError(f"twilio unreachable: {exc}") from exc
        body = str(task.payload["body"])
        return next((str(m.sid) for m in recent if m.body == body), None)
