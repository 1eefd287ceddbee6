"""One translation catalogue for everything a user reads (CLI, reports, web).

The catalogue is the set of ``*.toml`` files in this folder. Each file holds
tables whose leaves are ``{nl = "...", en = "..."}`` pairs; the dotted path of a
leaf is its key, e.g. ``errors.raster_no_crs``. Messages use ``str.format``
placeholders: ``translate("errors.raster_no_crs", "en", path="dem.tif")``.

Dutch (``nl``) is the default language of reports; English (``en``) is the
second language. A key missing in the catalogue raises ``KeyError`` so that a
typo is found by the tests, never shown to a user as a raw key.

Products pass their dossier's language explicitly. Messages to a user (CLI
lines, errors rendered at the boundary) use the language of the current
context: :func:`use_language` sets it for a block (the CLI for a command, a web
server for one request: a :class:`~contextvars.ContextVar`, so concurrent
requests in nl and en do not mix); outside any block it is Dutch.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from importlib import resources
from typing import Any, Literal

Language = Literal["nl", "en"]
LANGUAGES: tuple[Language, ...] = ("nl", "en")
DEFAULT_LANGUAGE: Language = "nl"


def _flatten(prefix: str, table: dict[str, Any], out: dict[str, dict[str, str]]) -> None:
    for name, value in table.items():
        key = f"{prefix}.{name}" if prefix else name
        if isinstance(value, dict) and set(value) and set(value) <= {"nl", "en"}:
            missing = [lang for lang in LANGUAGES if lang not in value]
            if missing:
                raise ValueError(f"catalogue entry {key!r} lacks language(s) {missing}")
            out[key] = {lang: str(value[lang]) for lang in LANGUAGES}
        elif isinstance(value, dict):
            _flatten(key, value, out)
        else:
            raise ValueError(f"catalogue entry {key!r} must be a table with nl and en")


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """All entries of the catalogue, keyed by dotted name."""
    entries: dict[str, dict[str, str]] = {}
    folder = resources.files(__package__)
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if item.name.endswith(".toml"):
            part: dict[str, dict[str, str]] = {}
            _flatten("", tomllib.loads(item.read_text(encoding="utf-8")), part)
            clash = set(part) & set(entries)
            if clash:
                raise ValueError(f"catalogue keys defined twice: {sorted(clash)}")
            entries.update(part)
    return entries


_language: ContextVar[Language] = ContextVar("alliantie_language", default=DEFAULT_LANGUAGE)


def as_language(value: str | None) -> Language:
    """``value`` as a catalogue language (``"en"``, ``"en_GB.UTF-8"`` -> en); Dutch when unknown or None."""
    code = (value or "").lower()[:2]
    return "en" if code == "en" else DEFAULT_LANGUAGE


def current_language() -> Language:
    """The language of messages in the current context (see :func:`use_language`); Dutch by default."""
    return _language.get()


def set_language(language: str | None) -> None:
    """Set the message language of the current context (the CLI does this once per command)."""
    _language.set(as_language(language))


@contextmanager
def use_language(language: str | None) -> Iterator[Language]:
    """Messages in ``language`` inside the block (e.g. one web request), the previous language after it."""
    token = _language.set(as_language(language))
    try:
        yield _language.get()
    finally:
        _language.reset(token)


def translate(key: str, language: str | None = None, /, **params: Any) -> str:
    """The text for ``key`` in ``language`` (default: :func:`current_language`)."""
    lang = language if language in LANGUAGES else current_language()
    text = catalogue()[key][lang or DEFAULT_LANGUAGE]
    return text.format(**params) if params else text


def has_key(key: str) -> bool:
    return key in catalogue()
