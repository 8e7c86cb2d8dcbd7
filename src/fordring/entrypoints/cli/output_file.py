"""Files a command writes where the user says (`-o FILE`, `--pdf FILE`, `--csv FILE`): one
check for all of them, made before the command does anything, so a refusal writes nothing.

An existing file is replaced only with `--force` (and never a device or a pipe); a folder,
or a file in a folder that does not exist, is refused naming the option; the file is never
written through a link (a link named is itself replaced).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import IO

import click

from fordring import bootstrap
from fordring.domain.errors import InvalidInput

# A file's bytes, or a function that writes them to the open file (a large export).
Content = bytes | Callable[[IO[bytes]], None]

FORCE = click.option("--force", is_flag=True, help="Replace the output file if it exists.")


def output_target(path: str | Path, field: str, *, force: bool) -> Path:
    """Where to write, checked: InvalidInput naming `field` when it cannot be written."""
    target = Path(path)
    if target.is_dir():
        raise InvalidInput.one(field, f"{target} is a folder; give a file name")
    folder = target.parent
    if not folder.exists():
        raise InvalidInput.one(field, f"the folder {folder} does not exist")
    if not folder.is_dir():
        raise InvalidInput.one(field, f"{folder} is not a folder")
    if target.exists() or target.is_symlink():
        if not force:
            raise InvalidInput.one(field, f"{target} exists; add --force to replace it")
        if not (target.is_symlink() or target.is_file()):  # a device, a pipe: never replaced
            raise InvalidInput.one(field, f"{target} is not a plain file; give a file name")
    return target


def write_output(target: Path, content: Content, field: str, *, force: bool) -> str:
    """Write `content` (bytes, or a function that writes them) to a target
    `output_target` checked; where it went."""
    try:
        bootstrap.write_user_file(target, content, replace=force)
    except FileExistsError:  # made since the check
        raise InvalidInput.one(field, f"{target} exists; add --force to replace it") from None
    except FileNotFoundError:
        raise InvalidInput.one(field, f"the folder {target.parent} does not exist") from None
    except OSError as error:
        raise InvalidInput.one(field, f"cannot write {target}: {error.strerror or error}") from None
    return str(target)
