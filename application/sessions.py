"""Where sessions are made: the only module that opens one.

Use cases take a ``UnitOfWork`` (``application.unit_of_work``), built on ``new_session``;
``autocommit`` serves reads and lone writes that need no transaction; ``bookkeeping`` is for
the sender's own marks after a provider call, which create nothing to send or publish.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from infra.runtime import Runtime


def new_session(runtime: Runtime) -> Session:
    """A session on the process's database; its first statement begins a transaction."""
    return runtime.sessions()


def autocommit(runtime: Runtime) -> Session:
    """A session whose every statement is its own transaction (``with autocommit(runtime) as
    session``), with no BEGIN, COMMIT or ROLLBACK around it: for reads that need no
    transaction (hot paths, long streams) and for a lone write that must be durable when it
    returns. Anything needing two statements to agree takes a unit of work."""
    return Session(runtime.autocommit)


@contextmanager
def bookkeeping(runtime: Runtime) -> Iterator[Session]:
    """A short transaction that commits on leaving, for marks that create no outbox rows and
    no live events (a send's failure recorded under the row's lock)."""
    with runtime.sessions.begin() as session:
        yield session
