"""A small, vectorised rule engine for the classification tables of step 2.

A rule table is an ordered list of rules from a knowledge file::

    [[rule]]
    id = "K1"
    class = "seepage"
    when = { regional_relief_max = 0.0, ghg_max = "{seepage_ghg_max_m}", rise_min = 1.0 }

A cell gets the class of the first rule whose conditions all hold. Conditions
are ``<variable>_min`` (value >= limit), ``<variable>_max`` (value < limit) and
``<variable>_in`` (categorical value in a list of names). A limit may name a
dossier parameter as ``"{name}"``. A rule without conditions matches every
cell. Cells where a variable is NaN fail its numeric conditions.

The knowledge models (:mod:`alliantie.method.baseinfo.knowledge`) check the
shape of the rules when a file is read; the names of variables, classes and
parameters are checked here, where they are known.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Protocol

import numpy as np

SUFFIXES = ("_min", "_max", "_in")
#: A limit that names a dossier parameter: ``"{name}"``.
PARAMETER = re.compile(r"\{\w+\}")

#: A limit of a ``_min``/``_max`` condition: a number or ``"{parameter}"``.
Limit = float | str
#: The value of a condition: a limit, or the class name(s) of an ``_in`` condition.
Condition = float | str | list[str]


class ClassRule(Protocol):
    """A rule of a rule table: its id, the class it gives and its conditions."""

    @property
    def id(self) -> str: ...
    @property
    def class_name(self) -> str: ...
    @property
    def when(self) -> Mapping[str, Condition]: ...


def resolve_limit(value: Limit, params: Mapping[str, float], rule_id: str) -> float:
    if isinstance(value, str):
        name = value.strip()
        if not (name.startswith("{") and name.endswith("}")) or name[1:-1] not in params:
            raise ValueError(f"rule {rule_id}: limit {value!r} names no known parameter ({sorted(params)})")
        return float(params[name[1:-1]])
    return float(value)


def condition(
    key: str,
    value: Condition,
    variables: Mapping[str, np.ndarray],
    categories: Mapping[str, Mapping[str, int]],
    params: Mapping[str, float],
    rule_id: str = "?",
) -> np.ndarray:
    """The boolean array of one condition ``key = value``."""
    for suffix in SUFFIXES:
        if key.endswith(suffix):
            name = key[: -len(suffix)]
            break
    else:
        raise ValueError(f"rule {rule_id}: condition {key!r} must end in _min, _max or _in")
    if name not in variables:
        raise ValueError(f"rule {rule_id}: unknown variable {name!r} (known: {sorted(variables)})")
    data = variables[name]
    if suffix == "_in":
        lookup = categories.get(name)
        if lookup is None:
            raise ValueError(f"rule {rule_id}: variable {name!r} is not categorical")
        if isinstance(value, float | int):
            raise ValueError(f"rule {rule_id}: condition {key!r} needs class names, got {value!r}")
        names = [value] if isinstance(value, str) else list(value)
        unknown = [n for n in names if n not in lookup]
        if unknown:
            raise ValueError(f"rule {rule_id}: {name} has no class(es) {unknown} (known: {sorted(lookup)})")
        return np.isin(data, [lookup[n] for n in names])
    if isinstance(value, list):
        raise ValueError(f"rule {rule_id}: condition {key!r} needs a number or \"{{parameter}}\", got {value!r}")
    limit = resolve_limit(value, params, rule_id)
    with np.errstate(invalid="ignore"):
        return np.asarray(data >= limit) if suffix == "_min" else np.asarray(data < limit)


def rule_mask(
    when: Mapping[str, Condition],
    variables: Mapping[str, np.ndarray],
    categories: Mapping[str, Mapping[str, int]] | None = None,
    params: Mapping[str, float] | None = None,
    rule_id: str = "?",
) -> np.ndarray:
    """Cells where all conditions ``when`` of rule ``rule_id`` hold."""
    shape = next(iter(variables.values())).shape
    out = np.ones(shape, dtype=bool)
    for key, value in when.items():
        out &= condition(key, value, variables, categories or {}, params or {}, rule_id)
    return out


def classify(
    rules: Sequence[ClassRule],
    codes: Mapping[str, int],
    variables: Mapping[str, np.ndarray],
    *,
    categories: Mapping[str, Mapping[str, int]] | None = None,
    params: Mapping[str, float] | None = None,
    valid: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Apply ordered ``rules``: the class code per cell (0 = none) and the index of the rule that fired (-1 = none).

    ``codes`` maps the class names the rules use to integer codes.
    """
    shape = next(iter(variables.values())).shape
    out = np.zeros(shape, dtype=np.uint8)
    fired = np.full(shape, -1, dtype=np.int16)
    open_cells = np.ones(shape, dtype=bool) if valid is None else valid.copy()
    for index, rule in enumerate(rules):
        name = rule.class_name
        if name not in codes:
            raise ValueError(f"rule {rule.id}: unknown class {name!r} (known: {sorted(codes)})")
        hit = open_cells & rule_mask(rule.when, variables, categories, params, rule.id)
        out[hit] = codes[name]
        fired[hit] = index
        open_cells &= ~hit
    return out, fired
