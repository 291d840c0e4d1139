"""One transaction idiom: sessions are opened in one module, ``application.sessions``.

Use cases, adapters (webhooks, routes, jobs) and the composition root reach the database
through ``application.unit_of_work`` (a transaction and what follows its commit) or
``application.sessions.autocommit`` (reads and lone writes); none builds a session or a session
factory, nor reaches for the runtime's.
"""

from __future__ import annotations

import ast

from tests.architecture.imports import ROOT, parse, product_files

ABOVE_THE_DOMAIN = ("application", "webhooks", "admin_api", "workers", "bookline")
THE_ONE_MODULE = "application/sessions.py"
SESSION_MAKERS = {
    "Session",
    "sessionmaker",
    "make_session_factory",
    "transaction",
    "scoped_session",
}
RUNTIME_SESSIONS = {"sessions", "autocommit"}


def sessions_opened(tree: ast.Module) -> list[tuple[int, str]]:
    """Where a module opens a session itself: (line, what) in line order."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _name(node.func) in SESSION_MAKERS:
            found.append((node.lineno, f"calls {_name(node.func)}()"))
        if isinstance(node, ast.Attribute) and node.attr in RUNTIME_SESSIONS:
            if isinstance(node.ctx, ast.Load) and not isinstance(node.value, ast.Call):
                found.append((node.lineno, f"uses .{node.attr}"))
    return sorted(found)


def opened_in(*packages: str) -> list[str]:
    """``file:line: what`` for each session opened by hand in ``packages``."""
    return [
        f"{path.relative_to(ROOT)}:{line}: {what}"
        for path in product_files(*packages)
        for line, what in sessions_opened(parse(path))
    ]


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def test_no_use_case_or_adapter_opens_a_session_itself() -> None:
    opened = opened_in(*ABOVE_THE_DOMAIN)
    assert [line for line in opened if not line.startswith(THE_ONE_MODULE)] == []


def test_the_check_finds_a_session_opened_by_hand() -> None:
    adapter = ast.parse(
        "def job(runtime):\n"
        "    with runtime.sessions.begin() as session:\n"
        "        return session\n"
        "def other(engine):\n"
        "    return Session(engine)\n"
    )
    assert sessions_opened(adapter) == [(2, "uses .sessions"), (5, "calls Session()")]


def test_the_one_module_is_seen_opening_them() -> None:
    assert any(line.startswith(THE_ONE_MODULE) for line in opened_in("application"))
