"""Provider webhooks: verify the signature, store the delivery once, enqueue, answer fast.

Each provider's module lists its deliveries' POST handlers by path (``ENDPOINTS``): the app
serves them ahead of its middleware stack and router (``bookline.webhook_front``).
"""

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

#: A webhook's handler: the request in, the answer out (an HTTPException for a refusal).
Endpoint = Callable[[Request], Awaitable[Response]]
