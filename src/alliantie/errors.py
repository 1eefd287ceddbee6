"""One exception hierarchy for alliantie.

Every error a user can cause (bad input file, bad configuration) is an
:class:`AlliantieError` subclass whose message comes from the translation
catalogue and names the file and what to do. The CLI maps each class to an exit
code through :data:`EXIT_CODES`; the web app will map the same classes to HTTP
status codes. Errors of GDAL, rasterio and pyogrio are translated at the I/O
boundary (:mod:`alliantie.io`), never shown raw.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from alliantie.i18n import translate


class AlliantieError(Exception):
    """Base class: a message key from the catalogue plus its parameters.

    The error keeps its key and parameters and is rendered where it meets a
    user: ``exc.message("en")`` at the boundary (the CLI, later an HTTP
    handler), ``str(exc)`` in the language of the current context.
    """

    key = "errors.generic"

    def __init__(self, key: str | None = None, /, **params: Any) -> None:
        self.key = key or self.key
        self.params = params
        super().__init__(self.key)

    def message(self, language: str | None = None) -> str:
        """The message in ``language`` (default: the current context's language)."""
        params = {name: _render(value, language) for name, value in self.params.items()}
        return translate(self.key, language, **params)

    def __str__(self) -> str:
        return self.message()

    def __reduce__(self) -> tuple[Any, ...]:  # pickled across processes (Dask workers) with key and parameters
        return (_rebuild, (type(self), self.key, self.params))


def _rebuild(cls: type[AlliantieError], key: str, params: dict[str, Any]) -> AlliantieError:
    return cls(key, **params)


def _render(value: Any, language: str | None) -> Any:
    """Nested errors (or lists of them) are rendered in the same language, one per line."""
    if isinstance(value, AlliantieError):
        return value.message(language)
    if isinstance(value, list) and value and all(isinstance(v, AlliantieError) for v in value):
        return "\n  - ".join(v.message(language) for v in value)
    return value


class ConfigError(AlliantieError):
    """The dossier configuration (``dossier.toml``) is invalid."""

    key = "errors.config_invalid"


class InputDataError(AlliantieError):
    """An input file cannot be read or does not meet the requirements."""

    key = "errors.input_unreadable"


class CRSError(InputDataError):
    """An input lacks a coordinate reference system or has an unusable one."""

    key = "errors.raster_no_crs"


class ProductError(AlliantieError):
    """A product could not be computed or a saved product is missing."""

    key = "errors.product_failed"


class RunBusyError(AlliantieError):
    """Another run is computing the same dossier and this one would not wait (longer)."""

    key = "errors.run_busy"


class ReportError(AlliantieError):
    """The report could not be made from the saved products."""

    key = "errors.report_failed"


class StorageError(AlliantieError):
    """A folder cannot be written (no permission, read-only file system) or its disk is full."""

    key = "errors.storage_not_writable"


class FetchError(AlliantieError):
    """A national dataset could not be downloaded (``alliantie fetch``): the service refused or did not answer."""

    key = "errors.fetch.failed"


#: errno values meaning "this folder cannot be written" and "the disk is full".
_NOT_WRITABLE = frozenset({errno.EACCES, errno.EPERM, errno.EROFS})
_DISK_FULL = frozenset({errno.ENOSPC, errno.EDQUOT})


def storage_error(exc: OSError, folder: str | os.PathLike[str] | None = None) -> StorageError | None:
    """The :class:`StorageError` for an OS error of writing, or None when ``exc`` is something else.

    The one place where OS errors of writing become planner messages (told apart by ``errno``). The folder
    named is the one the failing path lies in (the path itself when it is an existing folder), else ``folder``.
    """
    if exc.errno not in _NOT_WRITABLE | _DISK_FULL:
        return None
    where = folder
    if exc.filename is not None:
        failing = Path(os.fsdecode(exc.filename))
        where = failing if failing.is_dir() else failing.parent
        parts = where.parts
        for index, part in enumerate(parts):  # name the real folder, not an atomic write's .name.tmp-* sibling
            if part.startswith(".") and (".tmp-" in part or ".old-" in part):
                where = Path(*parts[:index])
                break
    place = str(where) if where is not None else "?"
    if exc.errno in _DISK_FULL:
        return StorageError("errors.storage_full", folder=place)
    if exc.errno == errno.EROFS:
        return StorageError("errors.storage_read_only", folder=place)
    return StorageError("errors.storage_not_writable", folder=place)


@contextlib.contextmanager
def storage_errors(folder: str | os.PathLike[str]) -> Iterator[None]:
    """Turn OS errors of writing under ``folder`` into :class:`StorageError` (others pass unchanged)."""
    try:
        yield
    except OSError as exc:
        translated = storage_error(exc, folder)
        if translated is None:
            raise
        raise translated from exc


#: Exit codes of the CLI per error class (most specific class wins).
EXIT_CODES: dict[type[AlliantieError], int] = {
    AlliantieError: 1,
    ConfigError: 2,
    InputDataError: 3,
    CRSError: 3,
    ProductError: 4,
    ReportError: 5,
    RunBusyError: 6,
    StorageError: 7,
    FetchError: 8,
}


def exit_code(error: AlliantieError) -> int:
    for cls in type(error).__mro__:
        if cls in EXIT_CODES:
            return EXIT_CODES[cls]
    return 1
