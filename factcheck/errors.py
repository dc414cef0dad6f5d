"""One exception type for every input problem, so that each failure names what and where.

Bad input exits with 2 and one line (``error: data/claims.csv, row 12, column 'value': …``); anything
else is a bug in this program and exits with 1 (``internal error: …``), see :mod:`factcheck.cli`. A full
disk or a read-only folder is the user's to fix too (:func:`cannot_write`): one line naming the path, exit 2.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterator
from pathlib import Path


class InputError(Exception):
    """Bad input: a data file, a row, a column or a parameter, and why.

    ``str(err)`` is a single line such as
    ``data/claims.csv, row 12, column 'value': 'abc' is not a number``.
    Rows count as a spreadsheet does: the header is row 1, the first record row 2.
    """

    def __init__(
        self,
        reason: str,
        *,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
        parameter: str | None = None,
    ) -> None:
        text = "".join(ch if ch in "\n\t" or ch.isprintable() else f"\\x{ord(ch):02x}" for ch in str(reason))
        self.reason = " ".join(text.split()) if "\n" not in text else text
        self.file = file
        self.row = row
        self.column = column
        self.parameter = parameter
        super().__init__(self.message)

    @property
    def where(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file)
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column '{self.column}'")
        if self.parameter:
            parts.append(f"parameter '{self.parameter}'")
        return ", ".join(parts)

    @property
    def message(self) -> str:
        return f"{self.where}: {self.reason}" if self.where else self.reason


class InputErrors(InputError):
    """Every problem of an input at once, grouped by file (each an :class:`InputError`, one line each): the
    analyst fixes them all before the next run instead of one per run."""

    def __init__(self, errors: list[InputError]) -> None:
        order: dict[str | None, int] = {}
        for e in errors:
            order.setdefault(e.file, len(order))
        self.errors = sorted(errors, key=lambda e: order[e.file])  # stable: rows stay in the order found
        first = self.errors[0]
        super().__init__(f"{first.reason} (and {len(errors) - 1} more problem(s))", file=first.file, row=first.row,
                         column=first.column, parameter=first.parameter)


class Problems:
    """Collects the problems of many rows: ``with problems.item(): check(row)`` keeps the row's first problem
    and goes on with the next row; :meth:`done` raises them all (one :class:`InputError`, or
    :class:`InputErrors`)."""

    def __init__(self) -> None:
        self.errors: list[InputError] = []

    @contextlib.contextmanager
    def item(self) -> Iterator[None]:
        try:
            yield
        except InputErrors as exc:
            self.errors.extend(exc.errors)
        except InputError as exc:
            self.errors.append(exc)

    def done(self) -> None:
        unique: dict[str, InputError] = {}
        for e in self.errors:  # one cause reached through many rows (a linked folder) is said once
            unique.setdefault(e.message, e)
        self.errors = list(unique.values())
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise InputErrors(self.errors)


class BuildError(RuntimeError):
    """A failure of the build itself, not of its input (a notebook that fails on validated data, a book
    that does not build): one line, exit 1."""


def where(path: str | os.PathLike) -> str:
    """A path as messages show it: relative to the working directory when inside it."""
    path = Path(path)
    try:  # never resolved: a symbolic link is named as itself, not as what it points to
        return str(Path(os.path.abspath(path)).relative_to(Path(os.path.abspath(Path.cwd()))))
    except (ValueError, OSError):
        return str(path)


# What the user's machine, not this program, must change: no space, no quota, read-only, not permitted.
ENVIRONMENT = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EFBIG})
ENVIRONMENT_TEXTS = ("No space left on device", "Disk quota exceeded", "Read-only file system", "Permission denied",
                     "Operation not permitted", "File too large")


def cannot_write(exc: OSError, fallback: str | os.PathLike, outcome: str = "the build stopped and the last good "
                 "book is kept") -> InputError | None:
    """A full disk, a read-only or forbidden path as one line: the path (else ``fallback``), the cause and what
    became of the work (``outcome``); None for any other error."""
    if exc.errno not in ENVIRONMENT:
        return None
    cause = exc.strerror or os.strerror(exc.errno)
    return InputError(f"{cause}; {outcome}", file=where(exc.filename if exc.filename else fallback))


def environment_cause(output: str) -> str | None:
    """Which of :data:`ENVIRONMENT_TEXTS` a program's output reports (a subprocess's full disk), if any."""
    return next((text for text in ENVIRONMENT_TEXTS if text in output), None)
