"""Domain knowledge as data files, each value with its unit and source.

Knowledge files live in ``knowledge/data/<name>.toml``. Conventions:

* every table that carries a number or a rule has a ``source`` (publication,
  year, table or page) and, for numbers, a ``unit``;
* a value estimated by the alliantie developers says ``source = "alliantie
  estimate: <reasoning>"``;
* a dossier may replace a knowledge file with its own (``[knowledge]`` in
  ``dossier.toml``), e.g. its own analysewijzer.

Loaders here are generic. Typed views are pydantic models on the base of
:mod:`alliantie.knowledge.model` (strict, unit and source kept, a ConfigError
naming the file and the field when a file does not fit): the files several
steps read have theirs here (:mod:`.soil_classes`, :mod:`.land_use`), the others
live beside the step that reads them (``method/<step>/knowledge.py``).
"""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from alliantie.errors import ConfigError


def knowledge_file(name: str, override: Path | None = None) -> Path:
    """Path of knowledge file ``name`` (the dossier's override when given)."""
    if override is not None:
        return override
    path = Path(str(resources.files(__package__).joinpath("data", f"{name}.toml")))
    if not path.exists():
        raise KeyError(f"no knowledge file named {name!r}")
    return path


def load_knowledge(name: str, override: Path | None = None) -> dict[str, Any]:
    """The parsed content of knowledge file ``name``."""
    path = knowledge_file(name, override)
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError("errors.knowledge_syntax", path=str(path), detail=str(exc)) from None


def _collect_sources(node: Any, out: list[str]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "source" and isinstance(value, str):
                if value not in out:
                    out.append(value)
            else:
                _collect_sources(value, out)
    elif isinstance(node, list):
        for item in node:
            _collect_sources(item, out)


def knowledge_sources(name: str, override: Path | None = None) -> list[str]:
    """All distinct ``source`` strings of a knowledge file, in order of appearance."""
    out: list[str] = []
    _collect_sources(load_knowledge(name, override), out)
    return out


def available() -> list[str]:
    folder = resources.files(__package__).joinpath("data")
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))
