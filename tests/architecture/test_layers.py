"""The packages depend one way: each imports only the layers below it (``imports.LAYERS``),
no modules import each other in a loop, and nothing imports the composition root."""

from __future__ import annotations

from graphlib import CycleError, TopologicalSorter

from tests.architecture.imports import LAYERS, PACKAGES, imports, module_graph, product_files

LAYER_OF = {package: n for n, layer in enumerate(LAYERS) for package in layer}


def test_every_product_package_has_a_layer() -> None:
    found = {path.parent.name for path in product_files() if path.name == "__init__.py"}
    tops = {name for name in found if name in LAYER_OF}
    assert tops == set(PACKAGES)


def test_each_package_imports_only_the_layers_below_it() -> None:
    upward = [
        f"{found.where}: {found.source} imports {found.module}"
        for path in product_files()
        for found in imports(path)
        if LAYER_OF[found.module.split(".")[0]] > LAYER_OF[found.source.split(".")[0]]
        or _sideways(found.source, found.module)
    ]
    assert upward == []


def _sideways(source: str, target: str) -> bool:
    """An adapter importing another adapter (they share a layer, not each other's code)."""
    a, b = source.split(".")[0], target.split(".")[0]
    return a != b and LAYER_OF[a] == LAYER_OF[b]


def test_nothing_imports_the_composition_root() -> None:
    into_root = [
        f"{found.where}: {found.module}"
        for path in product_files(*(p for p in PACKAGES if p != "bookline"))
        for found in imports(path)
        if found.module.split(".")[0] == "bookline"
    ]
    assert into_root == []


def test_no_modules_import_each_other_in_a_loop() -> None:
    try:
        TopologicalSorter(module_graph()).prepare()
    except CycleError as error:
        raise AssertionError(f"an import loop: {' -> '.join(error.args[1])}") from None


def test_the_scan_sees_every_layer_the_composition_root_wires() -> None:
    wired = {
        found.module.split(".")[0] for path in product_files("bookline") for found in imports(path)
    }
    assert {"engine", "infra", "application", "admin_api", "webhooks", "workers"} <= wired
