"""Reading the repository's own files safely: regular files only, never through a symbolic link.

Everything the book publishes starts as a file of the repository (the data package, the stored articles,
the book's static assets). A committed symbolic link (``data/articles/x.txt -> /proc/self/environ`` or
``-> ../../.git/config``) or a device or pipe must never be read, let alone published:

* :func:`read_bytes` opens a file with ``O_NOFOLLOW`` after checking that no folder on the way from the
  root it belongs to is a link, refuses anything but a regular file, and reads at most a size limit;
* :func:`check_tree` walks a folder without following links and refuses, in one line each, a link, a
  file that is not a regular file, and a regular file that is not declared.

Both raise :class:`~factcheck.errors.InputError` naming the path.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

from .errors import InputError, where

OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def refuse_links(path: Path, root: Path | None) -> None:
    """Refuse ``path`` when it, or a folder between ``root`` (exclusive) and it, is a symbolic link."""
    path = Path(path)
    parts: list[Path] = []
    if root is not None:
        try:
            relative = path.relative_to(root)
        except ValueError:
            raise InputError(f"is outside {where(root)}; only files inside it are read", file=where(path)) from None
        current = Path(root)
        for part in relative.parts:
            if part in ("", ".", ".."):
                raise InputError("a path with '..' is not read", file=where(path))
            current = current / part
            parts.append(current)
    else:
        parts.append(path)
    for p in parts:
        try:
            mode = os.lstat(p).st_mode
        except FileNotFoundError:
            return  # the caller says what is missing
        if stat.S_ISLNK(mode):
            raise InputError(f"is a symbolic link ({_link_target(p)}); links are never read or published: "
                             "put the file itself there", file=where(p))


def _link_target(path: Path) -> str:
    try:
        target = os.readlink(path)
    except OSError:
        return "unreadable"
    shown = "".join(ch if ch.isprintable() else "?" for ch in target)[:80]
    return f"to {shown}"


def read_bytes(path: str | os.PathLike, *, root: Path | None = None, limit: int, what: str = "file") -> bytes:
    """The bytes of the regular file ``path`` (at most ``limit``), never through a link; else one InputError."""
    path = Path(path)
    refuse_links(path, root)
    try:
        fd = os.open(path, OPEN_FLAGS)
    except FileNotFoundError:
        raise InputError(f"{what} does not exist", file=where(path)) from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputError(f"is a symbolic link ({_link_target(path)}); links are never read or published: "
                             "put the file itself there", file=where(path)) from None
        if exc.errno == errno.EISDIR:
            raise InputError(f"{what} is a folder, not a file", file=where(path)) from None
        raise InputError(f"{what} cannot be read: {exc.strerror}", file=where(path)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise InputError(f"{what} is {_kind(info.st_mode)}; only regular files are read", file=where(path))
        if info.st_size > limit:
            raise InputError(f"is {info.st_size:,} bytes; files over {limit:,} bytes are refused", file=where(path))
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise InputError(f"grew past {limit:,} bytes while being read; files over that are refused",
                             file=where(path))
        return b"".join(chunks)
    finally:
        os.close(fd)


def walk(root: Path) -> Iterator[tuple[Path, os.stat_result]]:
    """Every entry under ``root`` with its ``lstat``, sorted, without following links."""
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames.sort()
        for name in sorted(dirnames + filenames):
            path = Path(dirpath) / name
            yield path, os.lstat(path)


def regular_files(root: Path) -> list[Path]:
    """The regular files under ``root`` (sorted), links and everything behind them left out."""
    return [path for path, info in walk(root) if stat.S_ISREG(info.st_mode)] if Path(root).is_dir() else []


def check_tree(root: Path, declared: Callable[[str], bool], *, skip: Callable[[str], bool] = lambda _: False,
               how: str = "") -> None:
    """Refuse a link, a non-regular file or an undeclared regular file anywhere under ``root``.

    ``declared(rel)`` says whether the regular file at ``rel`` (a POSIX path relative to ``root``) belongs;
    ``skip(rel)`` names folders and files that are not looked into (the build's own temporary folders);
    ``how`` ends the message of an undeclared file (how to declare one).
    """
    if not root.is_dir():
        return
    skipped: list[str] = []
    for path, info in walk(root):
        rel = path.relative_to(root).as_posix()
        if any(rel == s or rel.startswith(s + "/") for s in skipped):
            continue
        if skip(rel):
            skipped.append(rel)
            continue
        mode = info.st_mode
        if stat.S_ISLNK(mode):
            raise InputError(f"is a symbolic link ({_link_target(path)}); links are never read or published: "
                             "put the file itself there, or remove it", file=where(path))
        if stat.S_ISDIR(mode):
            continue
        if not stat.S_ISREG(mode):
            raise InputError(f"is {_kind(mode)}; only regular files may be here: remove it", file=where(path))
        if not declared(rel):
            raise InputError(f"is not declared, so it is never published; remove it{how}", file=where(path))
