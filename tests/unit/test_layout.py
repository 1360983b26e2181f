"""The shape of the code: small modules, short functions, and dependencies pointing one way
(services use shared/, no service uses another, shared/ uses no service)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
MAX_MODULE_LINES = 300
MAX_FUNCTION_LINES = 60
SERVICES = ("intake", "ranking", "broadcast")


def modules(*folders: str) -> list[Path]:
    return sorted(path for folder in folders for path in (ROOT / folder).rglob("*.py"))


def name(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def imported(path: Path) -> set[str]:
    """Every module `path` imports, absolute (the project imports nothing relatively)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


@pytest.mark.parametrize("path", modules("services", "shared"), ids=name)
def test_modules_and_functions_stay_small(path: Path) -> None:
    source = path.read_text()
    lines = len(source.splitlines())
    assert lines <= MAX_MODULE_LINES, f"{name(path)}: {lines} lines, at most {MAX_MODULE_LINES}"
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            assert node.end_lineno is not None
            length = node.end_lineno - node.lineno + 1
            assert length <= MAX_FUNCTION_LINES, (
                f"{name(path)}:{node.lineno} {node.name}: {length} lines, "
                f"at most {MAX_FUNCTION_LINES}"
            )


@pytest.mark.parametrize("service", SERVICES)
def test_no_service_imports_another(service: str) -> None:
    others = {f"services.{other}" for other in (*SERVICES, "tools") if other != service}
    for path in modules(f"services/{service}"):
        crossing = {m for m in imported(path) if ".".join(m.split(".")[:2]) in others}
        assert not crossing, f"{name(path)} imports {sorted(crossing)}"


def test_shared_imports_no_service() -> None:
    for path in modules("shared"):
        services = {m for m in imported(path) if m == "services" or m.startswith("services.")}
        assert not services, f"{name(path)} imports {sorted(services)}"


MAX_PACKAGE_MODULES = 15
MIN_PREFIX_FAMILY = 3
# The code a service runs; the workbook reader is the `podium` command's alone.
SERVICE_PACKAGES = ("services/intake", "services/ranking", "services/broadcast")


def packages() -> list[Path]:
    return sorted(
        init.parent
        for folder in ("services", "shared")
        for init in (ROOT / folder).rglob("__init__.py")
    )


@pytest.mark.parametrize("package", packages(), ids=name)
def test_a_package_holds_at_most_fifteen_modules(package: Path) -> None:
    own = [path for path in package.glob("*.py") if path.name != "__init__.py"]
    assert len(own) <= MAX_PACKAGE_MODULES, (
        f"{name(package)}: {len(own)} modules, at most {MAX_PACKAGE_MODULES}: "
        "give a family of them a folder"
    )


@pytest.mark.parametrize("package", packages(), ids=name)
def test_a_family_gets_a_folder_not_a_prefix(package: Path) -> None:
    """Three or more modules named `x_...` (or `x.py` beside `x_...`) are a family: `x/`."""
    stems = [path.stem for path in package.glob("*.py") if path.name != "__init__.py"]
    families: dict[str, list[str]] = {}
    for stem in stems:
        families.setdefault(stem.split("_")[0], []).append(stem)
    crowded = {p: s for p, s in families.items() if len(s) >= MIN_PREFIX_FAMILY}
    assert not crowded, f"{name(package)}: families by prefix, give each a folder: {crowded}"


def test_the_services_load_no_workbook_reader() -> None:
    for folder in (*SERVICE_PACKAGES, "shared"):
        for path in modules(folder):
            if path.is_relative_to(ROOT / "shared" / "organiser"):
                continue
            readers = {m for m in imported(path) if m.startswith(("shared.organiser", "openpyxl"))}
            assert not readers, f"{name(path)} imports {sorted(readers)}"


# The name of the outside document the code must not cite, spelled so this file does not.
OUTSIDE = re.compile(r"\b" + "SP" + r"EC\b")


def test_no_module_cites_a_document_outside_the_repository() -> None:
    for path in modules("services", "shared", "tests"):
        assert not OUTSIDE.search(path.read_text()), (
            f"{name(path)} cites an outside document: cite docs/ instead"
        )
