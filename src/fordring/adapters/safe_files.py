"""Writing files into folders that others can write to too (the paper outbox, the archive,
pickup folders, a file the user names): never through a symbolic link.

Whoever can write in such a folder could plant a link where fordring is about to write
(`manifest.csv` pointing at any file, a `.part` name, a linked day folder) and make it
append to, overwrite or fill a file elsewhere. So a folder below the configured root is
opened without following links, and every file in it is opened relative to that folder
with `O_NOFOLLOW`: a temporary file has an unguessable name and is created exclusively,
then renamed into place (a rename replaces a link, it never writes through one); a file
appended to must be a plain file with one name. The configured root itself may be a link:
the operator chose it. POSIX only (Linux, macOS), as the rest of fordring.
"""

from __future__ import annotations

import errno
import fcntl
import os
import re
import secrets
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Final

# What a file is made of: its bytes, or a function that writes them to the open file (a
# large export streamed to disk rather than held whole).
Content = bytes | Callable[[IO[bytes]], None]

_NAME: Final = re.compile(r"[^/\x00]+")
_READ: Final = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK  # NONBLOCK: a FIFO never hangs
_NEW: Final = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
_APPEND: Final = os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK


class RefusedPath(OSError):
    """A path fordring will not write or read through: a link, or not a plain file."""


class Folder:
    """An open folder: files in it are read and written relative to it, never by a link."""

    def __init__(self, fd: int, path: Path) -> None:
        self.fd = fd
        self.path = path

    def read(self, name: str) -> bytes | None:
        """The file's content; None when there is none. A link or a non-file is refused."""
        try:
            fd = os.open(_plain(name), _READ, dir_fd=self.fd)
        except FileNotFoundError:
            return None
        except OSError as error:
            raise self._refused(name, error) from None
        with os.fdopen(fd, "rb") as handle:
            self._check_file(name, os.fstat(handle.fileno()), links_allowed=True)
            return handle.read()

    def write(self, name: str, content: Content, *, durable: bool = False) -> Path:
        """Replace (or create) `name` with `content` whole: written under a temporary name
        and renamed, so nobody reads half a file and a planted link is replaced, not used.
        `durable`: on disk before it is renamed (for a reader that acts on it at once)."""
        temporary = self._temporary(name, content, durable=durable)
        try:
            os.replace(temporary, _plain(name), src_dir_fd=self.fd, dst_dir_fd=self.fd)
        except OSError as error:
            _unlink(temporary, self.fd)
            raise self._refused(name, error) from None
        return self.path / name

    def write_if_changed(self, name: str, content: bytes) -> Path:
        if self.read(name) != content:
            self.write(name, content)
        return self.path / name

    def create(self, name: str, content: Content) -> bool:
        """Create `name` with `content` whole unless it exists (then nothing is written and
        False is returned): a linked temporary file, so it never appears half-written."""
        temporary = self._temporary(name, content, durable=True)
        try:
            os.link(
                temporary,
                _plain(name),
                src_dir_fd=self.fd,
                dst_dir_fd=self.fd,
                follow_symlinks=False,
            )
        except FileExistsError:
            return False
        except OSError as error:
            raise self._refused(name, error) from None
        finally:
            _unlink(temporary, self.fd)
        return True

    def remove(self, name: str) -> None:
        """Delete the file `name` (a link by that name is removed, never what it names);
        nothing happens when there is none."""
        _unlink(_plain(name), self.fd)

    def append(self, name: str, content: bytes, *, header: bytes = b"") -> None:
        """Add `content` at the end of the plain file `name`, made with `header` first when
        new or empty; under a lock and in one write, so two writers at once never mix their
        lines. A link, or a file with a second name (a hard link), is refused."""
        try:
            fd = os.open(_plain(name), _APPEND, 0o644, dir_fd=self.fd)
        except OSError as error:
            raise self._refused(name, error) from None
        try:
            self._check_file(name, os.fstat(fd), links_allowed=False)
            fcntl.flock(fd, fcntl.LOCK_EX)
            os.write(fd, content if os.fstat(fd).st_size else header + content)
        finally:
            os.close(fd)  # and with it the lock

    def _temporary(self, name: str, content: Content, *, durable: bool = False) -> str:
        temporary = f".{_plain(name)}.{secrets.token_hex(8)}.part"
        try:
            fd = os.open(temporary, _NEW, 0o644, dir_fd=self.fd)
        except OSError as error:
            raise self._refused(temporary, error) from None
        try:
            with os.fdopen(fd, "wb") as handle:
                if isinstance(content, bytes):
                    handle.write(content)
                else:
                    content(handle)
                if durable:
                    handle.flush()
                    os.fsync(handle.fileno())
        except BaseException:
            _unlink(temporary, self.fd)
            raise
        return temporary

    def _check_file(self, name: str, found: os.stat_result, *, links_allowed: bool) -> None:
        if not stat.S_ISREG(found.st_mode):
            raise RefusedPath(f"{self.path / name} is not a plain file; it is not used")
        if not links_allowed and found.st_nlink != 1:
            raise RefusedPath(f"{self.path / name} has another name (a hard link); not written")

    def _refused(self, name: str, error: OSError) -> OSError:
        if isinstance(error, RefusedPath):
            return error
        if error.errno == errno.ELOOP or _is_link(self.fd, name):
            return RefusedPath(f"{self.path / name} is a symbolic link; fordring does not use it")
        return error


@contextmanager
def folder(root: str | Path, *parts: str) -> Iterator[Folder]:
    """The folder `root/part/...`, made if missing, opened for the files in it. `root` (the
    configured place) may be a link; no part below it may be one (RefusedPath)."""
    Path(root).mkdir(parents=True, exist_ok=True)
    with _opened(Path(root), parts, create=True) as found:
        assert found is not None
        yield found


@contextmanager
def existing_folder(root: str | Path, *parts: str) -> Iterator[Folder | None]:
    """As `folder`, but None when a folder is missing (nothing is made)."""
    with _opened(Path(root), parts, create=False) as found:
        yield found


@contextmanager
def _opened(base: Path, parts: tuple[str, ...], *, create: bool) -> Iterator[Folder | None]:
    try:
        fd = os.open(base, os.O_RDONLY | os.O_DIRECTORY)
    except FileNotFoundError:
        if create:
            raise
        yield None
        return
    path = base
    try:
        for part in parts:
            path = path / _plain(part)
            if create:
                with suppress(FileExistsError):
                    os.mkdir(part, 0o755, dir_fd=fd)
            try:
                inner = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
            except FileNotFoundError:
                if create:
                    raise
                yield None
                return
            except OSError as error:
                if error.errno in (errno.ELOOP, errno.ENOTDIR) and _is_link(fd, part):
                    raise RefusedPath(
                        f"{path} is a symbolic link, not a folder; fordring does not write there"
                    ) from None
                raise
            os.close(fd)
            fd = inner
        yield Folder(fd, path)
    finally:
        os.close(fd)


def write_new(path: str | Path, content: Content, *, replace: bool = False) -> None:
    """Write a file the user named: created exclusively (an existing file or link is never
    written through: FileExistsError), or with `replace` put in place of what is there."""
    target = Path(path)
    with existing_folder(target.parent) as parent:
        if parent is None:
            raise FileNotFoundError(f"the folder {target.parent} does not exist")
        if replace:
            parent.write(target.name, content)
        elif not parent.create(target.name, content):
            raise FileExistsError(f"{target} exists")


def _plain(name: str) -> str:
    """A name in the folder: no separators, not `.` or `..`."""
    if not _NAME.fullmatch(name) or name in (".", ".."):
        raise RefusedPath(f"{name!r} is not a plain file name")
    return name


def _is_link(folder_fd: int, name: str) -> bool:
    try:
        return stat.S_ISLNK(os.stat(name, dir_fd=folder_fd, follow_symlinks=False).st_mode)
    except OSError:
        return False


def _unlink(name: str, folder_fd: int) -> None:
    with suppress(FileNotFoundError):
        os.unlink(name, dir_fd=folder_fd)
