"""The ``bookline`` command: serve, worker, migrate, seed, create-owner, secret, chat and more."""

from __future__ import annotations

import argparse
import ipaddress
import traceback
from collections.abc import Callable, Sequence
from importlib import metadata
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from pydantic import ValidationError as InvalidSettings

from application.unit_of_work import unit_of_work
from bookline.cli_recommend import add_recommend_commands
from bookline.migrate import has_schema, upgrade
from engine.exceptions import ValidationError
from engine.history.plan import HistoryPlan
from engine.history.service import MAX_DAYS as MAX_HISTORY_DAYS
from engine.history.service import seed_history
from engine.seed import seed_demo
from infra.logs import configure_logging
from infra.runtime import Runtime
from infra.settings import (
    EMBEDDED_STATE_DIR,
    ConfigError,
    Settings,
    get_settings,
    new_secret_key,
)

#: Seconds a stopping server lets open responses finish before cancelling them.
SHUTDOWN_GRACE_SECONDS = 5
#: Addresses that mean "every interface": no URL can name them.
WILDCARD_HOSTS = frozenset({"0.0.0.0", "::", ""})


def _startable() -> Settings:
    """The settings, once every start check passed; otherwise a clear exit naming the faults."""
    settings = get_settings()
    try:
        settings.check()
    except ConfigError as exc:
        raise SystemExit(str(exc)) from exc
    return settings


def _migrate(_args: argparse.Namespace) -> None:
    settings = get_settings()
    _require_database("migrate", settings)
    upgrade(settings.database_url)
    print("Database schema is up to date.")


def _seed(args: argparse.Namespace) -> None:
    if not args.demo:
        raise SystemExit("Nothing to seed: pass --demo to load the demo business.")
    settings = get_settings()
    if not (settings.sandbox or args.force):
        raise SystemExit(
            "The demo has a published login (owner@demo.test): it is seeded only where the "
            "sandbox is on. Pass --force to load it into this database anyway."
        )
    _require_database("seed", settings)
    upgrade(settings.database_url)
    runtime = Runtime(settings)
    try:
        with unit_of_work(runtime, live=False) as uow:
            business = seed_demo(uow.session)
            name = business.name
            plan = seed_history(uow.session, business=business, days=args.history)
        print(f"Demo data ready: business '{name}'.")  # said once it is written, not before
        if args.history:
            print(_history_line(plan, args.history))
    except ValidationError as exc:
        raise SystemExit(exc.message) from exc
    finally:
        runtime.close()


def _history_days(text: str) -> int:
    """``--history``, refused by the parser (before anything is written) outside 0..MAX_DAYS."""
    try:
        days = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of days") from None
    if not 0 <= days <= MAX_HISTORY_DAYS:
        raise argparse.ArgumentTypeError(f"history can be 0 to {MAX_HISTORY_DAYS} days")
    return days


def _history_line(plan: HistoryPlan | None, days: int) -> str:
    if plan is None:
        return "Demo history already present: left as it is."
    return f"Demo history ready: {len(plan.bookings)} bookings over the last {days} days."


def _serve(args: argparse.Namespace) -> None:
    import uvicorn

    from infra.stopping import StoppingServer

    settings = _startable()  # a bad SECRET_KEY or provider stops the start, not a request
    _refuse_open_sandbox(settings, args.host)
    if settings.embedded:
        _follow_listening_address(settings, args.host, args.port)
        upgrade(settings.database_url)  # first run on the embedded default just works
    else:
        _require_stack(settings)
    config = uvicorn.Config(
        "bookline.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        log_level=settings.log_level.lower(),
        log_config=None,  # uvicorn's lines go through the root logger, in LOG_FORMAT too
        timeout_graceful_shutdown=SHUTDOWN_GRACE_SECONDS,  # a response that hangs in a stop
        proxy_headers=False,  # the app believes X-Forwarded-For per FORWARDED_ALLOW_IPS itself
    )
    try:
        StoppingServer(config).run()  # live feeds end as soon as a stop begins
    except KeyboardInterrupt:
        pass  # uvicorn raises the stop signal again once it has stopped, as uvicorn.run expects


def _refuse_open_sandbox(settings: Settings, host: str) -> None:
    """Serve a sandbox nobody asked for on loopback only.

    The embedded default turns the sandbox on by itself, and its fake providers' controls are
    open to anyone who can reach them (a fake payment confirms a booking): on any other
    address, only an explicit BOOKLINE_SANDBOX=1 serves them.
    """
    if settings.sandbox and settings.bookline_sandbox is None and not _loopback(host):
        raise SystemExit(
            f"Refusing to serve the sandbox (built-in fake providers) on {host}: it is on only "
            "because no database, Redis or provider is configured. Configure them for real "
            "guests, use --host 127.0.0.1, or set BOOKLINE_SANDBOX=1 for a trial box."
        )


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def _require_stack(settings: Settings) -> None:
    """Refuse to serve without the database (migrated) and Redis: readiness would say 503 and
    every login 500, each logged, with nothing saying what is down."""
    runtime = Runtime(settings)
    try:
        _require_dependencies("serve", runtime)
    finally:
        runtime.close()


def _follow_listening_address(settings: Settings, host: str, port: int) -> None:
    """Point the default PUBLIC_BASE_URL at the address served: webhook signatures are checked
    against it, so on ``--port 8101`` a default left at :8000 would refuse every webhook.
    A PUBLIC_BASE_URL the operator set is theirs (a tunnel, a proxy) and stays as it is."""
    if "public_base_url" in settings.model_fields_set:
        return
    if host in WILDCARD_HOSTS:
        host = "127.0.0.1"  # listening everywhere: this machine answers on loopback
    elif ":" in host:
        host = f"[{host}]"  # an IPv6 address in a URL
    settings.public_base_url = f"http://{host}:{port}"


def _worker(args: argparse.Namespace) -> None:
    import threading

    from application.answer_indexes import warm_up
    from infra.runtime import QUEUE_NAMES, current
    from workers.maintenance import run_periodically
    from workers.worker import BooklineWorker

    _startable()
    runtime = current()
    if runtime.inline_jobs:
        raise SystemExit(
            "bookline worker needs REDIS_URL; on the embedded default jobs run "
            "inline inside `bookline serve`."
        )
    _require_dependencies("worker", runtime)
    warm_up(runtime)
    runtime.build_providers()
    stop = threading.Event()
    threading.Thread(
        target=run_periodically, args=(runtime, stop), daemon=True, name="maintenance"
    ).start()
    worker = BooklineWorker(QUEUE_NAMES, connection=runtime.redis)
    try:
        worker.work(with_scheduler=True, burst=args.burst)
    finally:
        stop.set()


def _require_dependencies(command: str, runtime: Runtime) -> None:
    """Stop the start, in one line, unless the database (migrated) and Redis answer: a
    worker without them would take jobs off the queue only to fail every one of them, and a
    server would answer 500s."""
    settings = runtime.settings
    _reach(command, "database", runtime.check_database, settings.database_url)
    if not has_schema(runtime.engine):
        raise SystemExit(
            f"bookline {command}: the database at {masked(settings.database_url)} has no "
            "Bookline schema; run `bookline migrate` first."
        )
    _reach(command, "Redis", runtime.check_redis, settings.redis_url or "")


def _require_database(command: str, settings: Settings) -> None:
    """Stop, in one line naming the database, unless it answers: before any work begins."""
    runtime = Runtime(settings)
    try:
        _reach(command, "database", runtime.check_database, settings.database_url)
    finally:
        runtime.close()


def _reach(command: str, name: str, check: Callable[[], None], url: str) -> None:
    try:
        check()
    except Exception as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise SystemExit(
            f"bookline {command}: cannot reach the {name} at {masked(url)}: {reason}"
        ) from exc


def masked(url: str) -> str:
    """``url`` with its password shown as ``***`` (fit for logs and error messages)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    userinfo = f"{parts.username or ''}:***"
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{userinfo}@{host}"))


def _create_owner(args: argparse.Namespace) -> None:
    from bookline.owner import create_owner, read_password, validated

    settings = get_settings()
    _require_database("create-owner", settings)  # before the password is asked for
    registration = validated(email=args.email, business=args.business, password=read_password())
    if settings.embedded:
        upgrade(settings.database_url)  # as serve does: the embedded default just works
    print(create_owner(settings, registration))


def _secret(_args: argparse.Namespace) -> None:
    print(new_secret_key())


def _chat(args: argparse.Namespace) -> None:
    from bookline.chat import chat

    settings = get_settings()
    _require_database("chat", settings)  # it looks the venue up there
    if not args.verbose:  # the terminal shows the conversation; logs are in a file
        path = (EMBEDDED_STATE_DIR / "chat.log").resolve()
        configure_logging(settings.log_level, settings.log_format, file=path)
        print(f"(logs go to {path}; --verbose shows them here)")
    chat(
        settings,
        url=args.url,
        venue_slug=args.venue,
        channel=args.channel,
        phone=args.as_phone,
    )


def _fake_providers(args: argparse.Namespace) -> None:
    from fakeproviders.__main__ import main as fake_main

    fake_main(args.options)


def _nlu(args: argparse.Namespace) -> None:
    from bot.nlu.evaluate import evaluate, format_report
    from bot.nlu.questions_eval import evaluate_questions, format_questions_report

    print(format_report(evaluate(seed=args.seed)))
    print()
    print(format_questions_report(evaluate_questions(seed=args.seed)))
    _nlu_corrections()


def _nlu_corrections() -> None:
    """The corrections set: details read right whatever the intent model says."""
    from bot.nlu.evaluate_corrections import evaluate_corrections, format_corrections

    print()
    print(format_corrections(evaluate_corrections()))


class _Parser(argparse.ArgumentParser):
    """A parser whose ``--help`` shows every option's default (its subcommands' too)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", argparse.ArgumentDefaultsHelpFormatter)
        super().__init__(**kwargs)


def _version() -> str:
    """The installed distribution's version (what ``bookline --version`` prints)."""
    return metadata.version("bookline")


def _verbose_flag() -> _Parser:
    """``--verbose``, on the commands that do work: logs shown, and a failure's traceback."""
    flag = _Parser(add_help=False)
    flag.add_argument(
        "--verbose", action="store_true", help="show logs and, on a failure, its traceback"
    )
    return flag


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = _Parser(prog="bookline", description=__doc__)
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", required=True)
    verbose = [_verbose_flag()]
    serve = sub.add_parser("serve", help="run the HTTP API", parents=verbose)
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on")
    serve.set_defaults(func=_serve)
    sub.add_parser("migrate", help="apply database migrations", parents=verbose).set_defaults(
        func=_migrate
    )
    worker = sub.add_parser(
        "worker", help="run an rq worker (with scheduler) on REDIS_URL", parents=verbose
    )
    worker.add_argument("--burst", action="store_true", help="exit when the queues are empty")
    worker.set_defaults(func=_worker)
    seed = sub.add_parser("seed", help="load data", parents=verbose)
    seed.add_argument("--demo", action="store_true", help="the demo business and venues")
    seed.add_argument(
        "--history",
        type=_history_days,
        default=0,
        metavar="DAYS",
        help="with --demo: DAYS of past bookings for the demo venues (same every run; once)",
    )
    seed.add_argument(
        "--force", action="store_true", help="seed the demo even where the sandbox is off"
    )
    seed.set_defaults(func=_seed)
    owner = sub.add_parser(
        "create-owner",
        help="create a business and its owner (password asked, or from stdin)",
        parents=verbose,
    )
    owner.add_argument("--email", required=True, help="the owner's login")
    owner.add_argument("--business", required=True, help="the business's name")
    owner.set_defaults(func=_create_owner)
    sub.add_parser("secret", help="print a fresh SECRET_KEY").set_defaults(func=_secret)
    chat = sub.add_parser(
        "chat", help="talk to the bot as a guest, through the real path", parents=verbose
    )
    chat.add_argument("--venue", default="seaside-hotel", help="venue slug")
    chat.add_argument(
        "--channel", choices=["sms", "whatsapp"], default="sms", help="how the guest writes"
    )
    chat.add_argument("--as", dest="as_phone", default="+919800000001", help="guest phone")
    chat.add_argument(
        "--url", default=None, help="a running Bookline (default: start one in this process)"
    )
    chat.set_defaults(func=_chat)
    fake = sub.add_parser("fake-providers", help="run the local fake Twilio/WhatsApp providers")
    fake.add_argument(
        "options", nargs=argparse.REMAINDER, help="--host, --port, --app-url, --public-base-url"
    )
    fake.set_defaults(func=_fake_providers)
    nlu = sub.add_parser("nlu", help="intent model tools")
    nlu_sub = nlu.add_subparsers(dest="nlu_command", required=True)
    evaluate = nlu_sub.add_parser(
        "eval",
        help="per-intent precision/recall, and questions about the venue, on held-out splits",
        parents=verbose,
    )
    evaluate.add_argument("--seed", type=int, default=7, help="seed of the held-out split")
    evaluate.set_defaults(func=_nlu)
    add_recommend_commands(sub, verbose)
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the ``bookline`` console script."""
    args = build_parser().parse_args(argv)
    try:
        settings = get_settings()
    except InvalidSettings as exc:  # a misspelt value: say which, without a traceback
        raise SystemExit(f"Bookline cannot read its settings: {exc}") from exc
    configure_logging(settings.log_level, settings.log_format)
    func: Callable[[argparse.Namespace], None] = args.func
    try:
        func(args)
    except SystemExit as exc:
        if getattr(args, "verbose", False) and exc.__cause__ is not None:
            traceback.print_exception(exc.__cause__)  # what the one-line message summed up
        raise
