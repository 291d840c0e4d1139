"""The product's imports, read from its source (every ``import``, at any depth of a module)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: The product's packages, lowest first: each may import only those before it.
LAYERS = (
    ("engine",),
    ("bot",),
    ("fakeproviders",),
    ("infra",),
    ("application",),
    ("webhooks", "admin_api", "workers"),
    ("bookline",),
)
PACKAGES = tuple(name for layer in LAYERS for name in layer)


@dataclass(frozen=True)
class Import:
    """One import statement: the importing module's file and line, and the module named."""

    path: Path
    line: int
    module: str

    @property
    def source(self) -> str:
        """The importing module's dotted name."""
        return module_name(self.path)

    @property
    def where(self) -> str:
        """``file:line`` for a failure message."""
        return f"{self.path.relative_to(ROOT)}:{self.line}"


def module_name(path: Path) -> str:
    """The dotted name of the module in ``path``."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> set[str]:
    """The dotted names of every module of the product."""
    return {module_name(path) for path in product_files()}


def resolve(name: str, known: set[str]) -> str | None:
    """The module an imported name lives in (``a.b.func`` → ``a.b``), if it is the product's."""
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name or None


def module_graph() -> dict[str, set[str]]:
    """Which product modules each product module imports."""
    known = modules()
    graph: dict[str, set[str]] = {name: set() for name in known}
    for path in product_files():
        source = module_name(path)
        for found in imports(path):
            target = resolve(found.module, known)
            if target is not None and target != source:
                graph[source].add(target)
    return graph


def product_files(*packages: str) -> Iterator[Path]:
    """Every Python file of ``packages`` (all of the product's by default)."""
    for package in packages or PACKAGES:
        yield from sorted((ROOT / package).rglob("*.py"))


def parse(path: Path) -> ast.Module:
    """The syntax tree of one file."""
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def imports(path: Path) -> Iterator[Import]:
    """The product modules ``path`` imports (relative imports resolved)."""
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    for node in ast.walk(parse(path)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, node.module] if node.module else base)
            names = [f"{module}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            if name.split(".")[0] in PACKAGES:
                yield Import(path, node.lineno, name)
