"""Database plumbing shared by every engine domain: declarative base, column types, sessions.

SQLite and PostgreSQL must behave the same for the invariants that matter (unique claims,
aware timestamps), so the few places where they differ are handled here and nowhere else.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from enum import StrEnum
from functools import cache
from typing import Any, TypeVar, cast

from sqlalchemy import (
    JSON,
    ColumnElement,
    Connection,
    CursorResult,
    DateTime,
    Engine,
    Executable,
    Insert,
    MetaData,
    Row,
    String,
    Table,
    Text,
    any_,
    bindparam,
    column,
    create_engine,
    event,
    func,
    inspect,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import (
    DeclarativeBase,
    InstrumentedAttribute,
    Mapper,
    Session,
    configure_mappers,
    make_transient_to_detached,
    sessionmaker,
)
from sqlalchemy.pool import ConnectionPoolEntry
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.dml import ReturningInsert
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeDecorator, TypeEngine

E = TypeVar("E", bound=StrEnum)
M = TypeVar("M", bound="Base")

#: INSERT ... ON CONFLICT DO NOTHING RETURNING, which claims and upserts rely on.
MIN_SQLITE_VERSION = (3, 35, 0)

#: A pooled connection idle at least this long is pinged before it is used again.
PING_AFTER_IDLE_SECONDS = 2.0
#: Seconds to wait for PostgreSQL to accept a connection (unless the URL says otherwise): an
#: unreachable server otherwise holds a request, a webhook or a worker for minutes of TCP
#: retries before it can answer 503 or retry.
CONNECT_TIMEOUT_SECONDS = 5
_IDLE_SINCE = "bookline.idle_since"

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with a naming convention so migrations name constraints stably."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC timestamp on every backend.

    SQLite has no time zones and hands back naive values; storing naive UTC and re-attaching
    UTC on the way out keeps comparisons with ``utcnow()`` correct on both databases.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class StrEnumType(TypeDecorator[E]):
    """A ``StrEnum`` stored as its plain value in a VARCHAR, read back as the enum member.

    A bare ``String`` column returns ``str`` once a row is loaded or refreshed, so enum-only
    code (``status.value``) worked on new objects and broke on loaded ones. The DDL is the
    same VARCHAR as before: this changes what Python sees, not the schema.
    """

    impl = String
    cache_ok = True

    def __init__(self, enum: type[E], length: int) -> None:
        super().__init__(length)
        self.enum = enum

    def process_bind_param(self, value: E | str | None, dialect: Dialect) -> str | None:
        return None if value is None else self.enum(value).value

    def process_result_value(self, value: str | None, dialect: Dialect) -> E | None:
        return None if value is None else self.enum(value)


def utcnow() -> datetime:
    """The current instant, aware, in UTC (the only clock the engine reads)."""
    return datetime.now(UTC)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Enforce foreign keys and let concurrent writers wait instead of failing at once."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def _sqlite_begin_before_savepoint(connection: Connection, _name: str) -> None:
    """Open a real transaction before the first SAVEPOINT of a unit of work.

    pysqlite only emits BEGIN before INSERT/UPDATE/DELETE. A SAVEPOINT issued first (services
    write inside ``begin_nested``) would itself become the outermost transaction, and its
    RELEASE would COMMIT: the caller's later rollback could no longer undo a hold or a modify.
    IMMEDIATE takes the write lock now (waiting up to busy_timeout), as writes follow anyway.
    """
    dbapi_connection = cast(sqlite3.Connection, connection.connection.dbapi_connection)
    if not dbapi_connection.in_transaction:
        dbapi_connection.execute("BEGIN IMMEDIATE")


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an Engine for ``url`` with the per-backend settings Bookline relies on."""
    if url.startswith("sqlite"):
        if sqlite3.sqlite_version_info < MIN_SQLITE_VERSION:
            raise RuntimeError(
                f"SQLite {sqlite3.sqlite_version} is too old: Bookline needs "
                f"{'.'.join(map(str, MIN_SQLITE_VERSION))}+ for INSERT ... RETURNING."
            )
        engine = create_engine(url, connect_args={"check_same_thread": False}, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "savepoint", _sqlite_begin_before_savepoint)
        return engine
    if "connect_timeout" not in make_url(url).query:
        kwargs["connect_args"] = {
            "connect_timeout": CONNECT_TIMEOUT_SECONDS,
            **kwargs.get("connect_args", {}),
        }
    engine = create_engine(url, **kwargs)
    if not kwargs.get("pool_pre_ping"):
        _ping_when_idle(engine)
    return engine


def _ping_when_idle(engine: Engine) -> None:
    """Test a pooled connection before use only when it sat idle for a while.

    ``pool_pre_ping`` pings on every checkout: a round trip on each unit of work, a third of
    a one-statement hold's. A connection handed back moments ago was working then; one idle
    for ``PING_AFTER_IDLE_SECONDS`` may have been cut by a server restart or an idle timeout,
    so it is pinged first and, if dead, replaced (the pool retries the checkout on
    ``DisconnectionError``), as pre-ping would. A restart within that window costs the next
    statement on such a connection an error, and the pool is then refreshed.
    """

    def checked_in(_dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
        record.info[_IDLE_SINCE] = time.monotonic()

    def checked_out(dbapi_connection: Any, record: ConnectionPoolEntry, _proxy: Any) -> None:
        idle_since = record.info.get(_IDLE_SINCE)
        if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE_SECONDS:
            return  # new, or used moments ago
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as exc:
            raise DisconnectionError("a pooled connection failed its ping") from exc

    event.listen(engine.pool, "checkin", checked_in)
    event.listen(engine.pool, "checkout", checked_out)


def on_postgresql(session: Session) -> bool:
    """True when the session's database is PostgreSQL, which has the engine's stored functions
    (SQLite has none: there the Core statements are the only path)."""
    return session.get_bind().dialect.name == "postgresql"


def one_of(
    session: Session, column: InstrumentedAttribute[Any], values: Sequence[Any]
) -> ColumnElement[bool]:
    """``column IN (values)``; on PostgreSQL one array parameter, ``column = ANY(:values)``.

    A list of thousands expanded into as many placeholders costs more than the query: psycopg
    parses again every statement of over 4 KB or 50 parameters, placeholder by placeholder.
    """
    if on_postgresql(session):
        array = bindparam(None, list(values), type_=postgresql.ARRAY(column.type))
        return column == any_(array)
    return column.in_(values)


def insert_or_skip(session: Session, model: type[Base], *unique: str) -> Insert:
    """``INSERT ... ON CONFLICT (unique) DO NOTHING`` for the session's backend.

    A row that would break the unique key is skipped instead of raising, so the caller needs
    no savepoint (on PostgreSQL an IntegrityError aborts the whole transaction) and learns what
    went in from ``RETURNING``. Both backends spell it the same; only the import differs.
    """
    return _on_conflict_do_nothing(session.get_bind().dialect.name, model, unique)


def insert_or_skip_returning_id(
    session: Session, model: type[Base], *unique: str
) -> ReturningInsert[int]:
    """``insert_or_skip`` on the model's table, ``RETURNING id``, built once per backend.

    For the hold path, where a statement runs several times per request: a Core insert into
    the table skips the ORM's bulk-insert bookkeeping (about 4x the CPU for a claim row), and
    a statement object that is reused keeps its memoised cache key, so SQLAlchemy neither
    builds nor hashes it again. Several parameter sets still go as one multi-row INSERT.
    """
    return _returning_id(session.get_bind().dialect.name, model, unique)


@cache
def _returning_id(dialect: str, model: type[Base], unique: tuple[str, ...]) -> ReturningInsert[int]:
    table = cast(Table, model.__table__)
    return _on_conflict_do_nothing(dialect, table, unique).returning(table.c.id)


def _on_conflict_do_nothing(
    dialect: str, target: type[Base] | Table, unique: tuple[str, ...]
) -> Insert:
    if dialect == "postgresql":
        return postgresql.insert(target).on_conflict_do_nothing(index_elements=list(unique))
    if dialect == "sqlite":
        return sqlite.insert(target).on_conflict_do_nothing(index_elements=list(unique))
    raise NotImplementedError(f"no ON CONFLICT DO NOTHING for {dialect}")


class comma_joined(FunctionElement[str]):  # noqa: N801 (an SQL function, named as one)
    """An aggregate: a group's values of a string column joined by commas (in no set order).

    ``func.aggregate_strings`` says the same but binds its separator as a parameter that
    SQLAlchemy renders into the statement's text on every execution; this is plain text.
    """

    type = String()
    inherit_cache = True


@compiles(comma_joined, "postgresql")
def _string_agg(element: comma_joined, compiler: SQLCompiler, **kw: Any) -> str:
    return f"string_agg({compiler.process(element.clauses, **kw)}, ',')"


@compiles(comma_joined, "sqlite")
def _group_concat(element: comma_joined, compiler: SQLCompiler, **kw: Any) -> str:
    return f"group_concat({compiler.process(element.clauses, **kw)}, ',')"


def core_rows(
    session: Session, statement: Executable, params: dict[str, Any]
) -> Sequence[Row[*tuple[Any, ...]]]:
    """The rows of a column-only (Core) select, run on the session's own connection.

    ``Session.execute`` passes even a select of plain columns through the ORM's execution
    layer (entity set-up, a loading pass per row), which cost a read-only search as much CPU
    as the database did. Pending changes are flushed first, as ``Session.execute`` does, so
    the rows see what this unit of work has added.
    """
    if session.autoflush:
        session.flush()
    return session.connection().execute(statement, params).all()


def as_loaded(session: Session, model: type[M], values: Sequence[Any]) -> M:
    """The session's ``model`` object for a row of its table read through Core (``values``:
    every column, in the table's order), as a query would have loaded it.

    ORM loading sets up a populator per column and relationship on every execution: for the
    venue and guest every chat turn reads first, more CPU than running the statement. Here
    the values go straight into a new object's state, taken as loaded (committed, no
    history); its relationships load lazily on first access, as a loaded object's do. An
    object the session already holds for that identity is returned as it is, as a query
    would (it does not overwrite one).
    """
    mapper, keys, primary_key = _layout(model)
    existing = session.identity_map.get(
        mapper.identity_key_from_primary_key((values[primary_key],))
    )
    if existing is not None:
        return cast(M, existing)
    return cast(M, _persistent(session, mapper, zip(keys, values, strict=True)))


def as_stored(session: Session, model: type[M], values: Mapping[str, Any]) -> M:
    """The session's ``model`` object for a row this unit of work has just stored and read
    back (``values``: every column, by attribute name), as if loaded.

    For a row a statement wrote (a stay's hold and its audit entry): built as ``as_loaded``
    builds one, not through the model's constructor, whose attribute events record every
    value as a change only for it to be taken as committed at once (about as much CPU as
    the rest of attaching it). A row just stored is new to the session: no identity lookup.
    A column left out would be loaded by a SELECT on first access, so one is refused.
    """
    mapper, keys, _ = _layout(model)
    if values.keys() != set(keys):
        raise ValueError(f"{model.__name__} needs every column, not {sorted(values)}")
    return cast(M, _persistent(session, mapper, values.items()))


def _persistent(session: Session, mapper: Mapper[Any], items: Iterable[tuple[str, Any]]) -> object:
    """A new ``mapper`` object holding ``items`` as committed values, persistent in the
    session (its relationships load lazily on first access)."""
    instance = mapper.class_manager.new_instance()
    instance.__dict__.update(items)
    make_transient_to_detached(instance)
    session.add(instance)
    return instance


@cache
def _layout(model: type[Base]) -> tuple[Mapper[Any], tuple[str, ...], int]:
    """The model's mapper, its attribute names in its table's column order, and the index of
    its (single-column) primary key. The mappers are configured first, as a query would:
    until then an object's attributes have no instrumentation to key it by."""
    configure_mappers()
    mapper = inspect(model)
    table = cast(Table, model.__table__)
    keys = tuple(mapper.get_property_by_column(column).key for column in table.columns)
    (primary_key,) = (n for n, column in enumerate(table.columns) if column.primary_key)
    return mapper, keys, primary_key


def insert_rows_or_skip(
    connection: Connection,
    table: Table,
    rows: Sequence[dict[str, Any]],
    *,
    unique: tuple[str, ...],
    returning: tuple[str, ...],
) -> CursorResult[Any]:
    """``rows`` in one ``INSERT ... ON CONFLICT (unique) DO NOTHING``, returning the
    ``returning`` columns of those that went in (in no set order). Every row names the same
    columns, with values JSON can carry (a JSON column's value whole); columns they do not
    name take their defaults.

    On PostgreSQL the rows go as one JSON document, ``INSERT ... SELECT FROM
    json_to_recordset(:rows)``: one parameter, serialised and parsed in C, and the statement's
    text is the same for any number of rows. A VALUES list is a new statement for every row
    count, which psycopg parses again placeholder by placeholder (it caches none over 4 kB or
    50 parameters) and the server plans afresh: most of the CPU of storing a batch of webhook
    messages. SQLite takes the VALUES list (SQLAlchemy's insertmanyvalues).
    """
    names, dialect = tuple(rows[0]), connection.dialect.name
    statement = _many_rows_insert(dialect, table, names, unique, returning)
    if dialect == "postgresql":
        return connection.execute(statement, {"rows": rows})
    return connection.execute(statement, rows)


@cache
def _many_rows_insert(
    dialect: str,
    table: Table,
    names: tuple[str, ...],
    unique: tuple[str, ...],
    returning: tuple[str, ...],
) -> Insert:
    """Built once per shape: a reused statement keeps its memoised cache key (SQLAlchemy
    neither builds nor hashes it again). On PostgreSQL a callable default is called once for
    the statement."""
    if dialect != "postgresql":
        statement = _on_conflict_do_nothing(dialect, table, unique)
    else:
        record = (
            func.json_to_recordset(bindparam("rows", type_=JSON))
            .table_valued(*(column(name, _unbounded(table.c[name].type)) for name in names))
            .render_derived(with_types=True)
        )
        statement = (
            postgresql.insert(table)
            .from_select(list(names), select(*(record.c[name] for name in names)))
            .on_conflict_do_nothing(index_elements=list(unique))
        )
    return statement.returning(*(table.c[name] for name in returning))


def _unbounded(type_: TypeEngine[Any]) -> TypeEngine[Any]:
    """A string column's values read as TEXT: the INSERT into the column then refuses an
    over-long one, as it would from a VALUES list (a record column typed VARCHAR(n) would
    cut it short)."""
    base = type_.impl_instance if isinstance(type_, TypeDecorator) else type_
    return Text() if isinstance(base, String) else type_


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """A session factory whose objects stay readable after commit (services return them)."""
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error, always close."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
