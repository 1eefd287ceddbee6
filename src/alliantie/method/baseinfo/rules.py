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
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

_SUFFIXES = ("_min", "_max", "_in")


def resolve_limit(value: Any, params: Mapping[str, float], rule_id: str) -> float:
    if isinstance(value, str):
        name = value.strip()
        if not (name.startswith("{") and name.endswith("}")) or name[1:-1] not in params:
            raise ValueError(f"rule {rule_id}: limit {value!r} names no known parameter ({sorted(params)})")
        return float(params[name[1:-1]])
    return float(value)


def condition(
    key: str,
    value: Any,
    variables: Mapping[str, np.ndarray],
    categories: Mapping[str, Mapping[str, int]],
    params: Mapping[str, float],
    rule_id: str = "?",
) -> np.ndarray:
    """The boolean array of one condition ``key = value``."""
    for suffix in _SUFFIXES:
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
        names = [value] if isinstance(value, str) else list(value)
        unknown = [n for n in names if n not in lookup]
        if unknown:
            raise ValueError(f"rule {rule_id}: {name} has no class(es) {unknown} (known: {sorted(lookup)})")
        return np.isin(data, [lookup[n] for n in names])
    limit = resolve_limit(value, params, rule_id)
    with np.errstate(invalid="ignore"):
        return np.asarray(data >= limit) if suffix == "_min" else np.asarray(data < limit)


def rule_mask(
    rule: Mapping[str, Any],
    variables: Mapping[str, np.ndarray],
    categories: Mapping[str, Mapping[str, int]] | None = None,
    params: Mapping[str, float] | None = None,
) -> np.ndarray:
    """Cells where all conditions of ``rule`` hold."""
    shape = next(iter(variables.values())).shape
    out = np.ones(shape, dtype=bool)
    for key, value in rule.get("when", {}).items():
        out &= condition(key, value, variables, categories or {}, params or {}, str(rule.get("id", "?")))
    return out


def classify(
    rules: Sequence[Mapping[str, Any]],
    codes: Mapping[str, int],
    variables: Mapping[str, np.ndarray],
    *,
    categories: Mapping[str, Mapping[str, int]] | None = None,
    params: Mapping[str, float] | None = None,
    valid: np.ndarray | None = None,
    class_key: str = "class",
) -> tuple[np.ndarray, np.ndarray]:
    """Apply ordered ``rules``: the class code per cell (0 = none) and the index of the rule that fired (-1 = none).

    ``codes`` maps the class names the rules use to integer codes.
    """
    shape = next(iter(variables.values())).shape
    out = np.zeros(shape, dtype=np.uint8)
    fired = np.full(shape, -1, dtype=np.int16)
    open_cells = np.ones(shape, dtype=bool) if valid is None else valid.copy()
    for index, rule in enumerate(rules):
        name = rule[class_key]
        if name not in codes:
            raise ValueError(f"rule {rule.get('id', index)}: unknown class {name!r} (known: {sorted(codes)})")
        hit = open_cells & rule_mask(rule, variables, categories, params)
        out[hit] = codes[name]
        fired[hit] = index
        open_cells &= ~hit
    return out, fired
