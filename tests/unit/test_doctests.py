"""The ``>>>`` examples in the package's docstrings run and give what they show.

The modules are found when the tests are collected, by scanning the source files of the
installed ``alliantie`` package for ``>>>``, so a module that moves is still found under its
new dotted name.
"""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

import alliantie

OPTIONFLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE

#: Modules whose examples are known not to run, with the reason (keep short; report, don't hide).
SKIP: dict[str, str] = {}


def modules_with_examples() -> list[str]:
    """Dotted names of the modules under ``alliantie`` whose source contains ``>>>``."""
    names = set()
    for root in map(Path, alliantie.__path__):
        for path in root.rglob("*.py"):
            parts = path.relative_to(root).with_suffix("").parts
            if not all(part.isidentifier() for part in parts):
                continue  # not importable by a dotted name (scratch files, data)
            if ">>>" not in path.read_text(encoding="utf-8"):
                continue
            if parts[-1] == "__init__":
                parts = parts[:-1]
            names.add(".".join(("alliantie", *parts)))
    return sorted(names)


MODULES = modules_with_examples()


def test_some_modules_have_examples():
    assert MODULES, "no module under alliantie has a >>> example: the scan is broken"


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    if name in SKIP:
        pytest.skip(SKIP[name])
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=OPTIONFLAGS, verbose=False, report=True)
    assert result.attempted > 0, f"{name} contains '>>>' but doctest found no example in its docstrings"
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {name} failed (output above)"
