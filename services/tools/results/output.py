"""A folder of output that appears whole or not at all: built beside its place under a hidden
name, then renamed into it, so a reader never finds half a site or half the certificates."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from services.tools.log.reader import LogError


class OutputError(LogError):
    """A folder that cannot be written, or that holds something else than ours."""


@contextlib.contextmanager
def replaced_folder(target: Path, mark: str) -> Iterator[Path]:
    """A new folder to fill; on success it takes `target`'s place.

    `target` may be missing, empty, or an earlier output of the same command (it holds the
    file `mark`); anything else is left alone, never deleted.
    """
    target = target.absolute()
    if target.exists() and not _replaceable(target, mark):
        raise OutputError(f"{target} is neither empty nor made by podium: choose another folder")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        building = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    except OSError as error:
        raise OutputError(f"cannot write beside {target}: {error}") from error
    old = target.parent / f"{building.name}.old"
    try:
        yield building
        building.chmod(0o755)
        _swap(building, target, old)
    except OSError as error:
        raise OutputError(f"cannot write {target}: {error}") from error
    finally:
        shutil.rmtree(building, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)


def _swap(new: Path, target: Path, old: Path) -> None:
    """`new` in `target`'s place; the earlier output back where it was if that fails."""
    if target.exists():
        target.rename(old)
    try:
        new.rename(target)
    except OSError:
        if old.exists():
            old.rename(target)
        raise


def _replaceable(target: Path, mark: str) -> bool:
    return target.is_dir() and (not any(target.iterdir()) or (target / mark).is_file())
