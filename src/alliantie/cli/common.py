"""What every CLI command shares: consoles, catalogue texts, and turning errors into exit codes."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from functools import wraps
from typing import Any

from rich.console import Console
from rich.text import Text

from alliantie.errors import AlliantieError, exit_code, storage_error
from alliantie.i18n import as_language, translate

#: Consoles without markup: a message or a path holding ``[brackets]`` (``Dossier [concept]``, ``[parameters.flood]``)
#: is printed as it is, never parsed as Rich markup; styles are given as Text styles instead.
err_console = Console(stderr=True, markup=False)
out_console = Console(markup=False)


def _t(key: str, **params: Any) -> str:
    return translate(key, None, **params)


def _h(key: str) -> str:
    """A help text in the language of ``$ALLIANTIE_LANG`` (click builds help before options are parsed)."""
    return translate(f"cli.help.{key}", as_language(os.environ.get("ALLIANTIE_LANG")))


def handle_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn library errors into a message and an exit code."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            try:
                return func(*args, **kwargs)
            except OSError as exc:  # last resort: a write no command translated itself (a full or read-only disk)
                translated = storage_error(exc)
                if translated is None:
                    raise
                raise translated from exc
        except AlliantieError as exc:
            if logging.getLogger().isEnabledFor(logging.DEBUG):
                err_console.print_exception()
            err_console.print(Text.assemble((f"{_t('cli.error')}:", "bold red"), " ", exc.message()),
                              highlight=False, soft_wrap=True)
            sys.exit(exit_code(exc))
        except KeyboardInterrupt:
            err_console.print(_t("cli.interrupted"))
            sys.exit(130)

    return wrapper
