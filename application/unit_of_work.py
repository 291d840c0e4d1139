"""The one way to open a transaction, and what happens once it commits.

A use case opens a ``UnitOfWork``, changes the domain through the engine's services, and
leaves the block: the transaction commits, and only then does the unit of work act on what
it wrote, in this order:

1. callbacks the use case registered (``after_commit``), e.g. a conversation set to expect
   the guest's answer to a message that is about to go out;
2. the live events of what committed, published for the dashboards (``infra.live``);
3. the outbox rows the transaction created, by its ``Delivery``: sent by this process now
   (a guest waiting on a reply), or handed to the send job.

An exception inside the block rolls everything back and none of this happens. Nothing is
sent or published for a transaction that did not commit, and nothing committed goes unsent:
a crash after the commit leaves rows the maintenance sweep picks up.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from types import TracebackType
from typing import Self

from sqlalchemy.orm import Session

from application.sending import Outgoing, claim_written, dispatch
from application.sessions import new_session
from engine.messaging.service import created_outbox
from infra.live import publish_committed
from infra.runtime import Runtime


class Delivery(Enum):
    """How the outbox rows a unit of work created leave once it commits."""

    #: Handed to the send job on the "outbound" queue (a reply can wait a moment).
    QUEUE = "queue"
    #: Handed to the send job on the "followup" queue, ahead of new guest messages: they
    #: finish something a guest already started (a sweep's news about their hold).
    FOLLOWUP = "followup"
    #: Messages to the guest of the first message are marked SENDING in the transaction
    #: and sent by this process right after the commit (the guest is waiting on them);
    #: everything else goes to the "followup" queue.
    NOW = "now"


class UnitOfWork:
    """One transaction over one session; see the module docstring for what follows commit."""

    def __init__(
        self, runtime: Runtime, *, delivery: Delivery = Delivery.QUEUE, live: bool = True
    ) -> None:
        self.runtime = runtime
        self.delivery = delivery
        self.live = live
        self.session: Session = new_session(runtime)
        self._callbacks: list[Callable[[], None]] = []
        self._kept: list[object] = []

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            if kind is not None:
                self.session.rollback()
                return
            outgoing = self._plan()
            self.session.commit()
            self._committed()
        finally:
            self.session.close()
        dispatch(self.runtime, outgoing)

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` once the transaction has committed, before anything is sent."""
        self._callbacks.append(callback)

    def keep(self, *rows: object) -> None:
        """Hold ``rows`` until the unit of work ends: the session holds loaded rows only
        weakly, and sending after the commit needs the venue and guest a use case loaded."""
        self._kept.extend(rows)

    def _plan(self) -> Outgoing:
        """Before the commit: which new outbox rows this process sends, which the job does."""
        rows = created_outbox(self.session)
        if self.delivery is Delivery.NOW:
            return claim_written(self.runtime, self.session, rows)
        return Outgoing([], [row.id for row in rows], followup=self.delivery is Delivery.FOLLOWUP)

    def _committed(self) -> None:
        """Callbacks, then live events (while the committed rows are still attached)."""
        for callback in self._callbacks:
            callback()
        if self.live:
            publish_committed(self.session, self.runtime.redis)


def unit_of_work(
    runtime: Runtime, *, delivery: Delivery = Delivery.QUEUE, live: bool = True
) -> UnitOfWork:
    """A new unit of work on the process's database (``with unit_of_work(runtime) as uow``).

    ``live=False`` publishes nothing for the dashboards: a seeded history is not news.
    """
    return UnitOfWork(runtime, delivery=delivery, live=live)
