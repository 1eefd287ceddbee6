"""A pydantic validation error of a TOML file (``dossier.toml``, ``strategy.toml``) said in the catalogue's words.

Unknown keys get the closest allowed one, missing keys are named, and a bad value says what was expected
(``errors.expected.*``) in the user's language; validators of our own already speak in words.
"""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import BaseModel

from alliantie.errors import ConfigError


def _allowed_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    current: Any = model
    for part in loc[:-1]:
        fields = getattr(current, "model_fields", None)
        if fields is None or part not in fields:
            return []
        annotation = fields[part].annotation
        candidates = [annotation, *getattr(annotation, "__args__", ())]
        current = next((c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)), None)
        if current is None:
            return []
    return list(getattr(current, "model_fields", {}))


def explain_problem(error: Any, model: type[BaseModel]) -> ConfigError:
    """One pydantic error of a TOML file read into ``model`` as a :class:`ConfigError` in the catalogue's words:
    an unknown key with the closest allowed one, a missing key, or a bad value with what was expected."""
    loc = tuple(p for p in error["loc"]
                if not (isinstance(p, str) and (p in {"str", "InputFile"} or p.startswith("function-"))))
    key = ".".join(str(p) for p in loc) or "(top level)"
    kind = error["type"]
    if kind == "extra_forbidden":
        allowed = _allowed_keys(model, loc)
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        return ConfigError(
            "errors.config_unknown_key", key=key,
            hint=(f"'{close[0]}'" if close else ", ".join(allowed)),
        )
    if kind == "missing":
        return ConfigError("errors.config_missing_key", key=key)
    return ConfigError(
        "errors.config_bad_value", key=key,
        value=repr(error.get("input"))[:80], expected=_expected(error),
    )


#: pydantic error types -> the catalogue's phrase of what was expected (``errors.expected.*``)
_EXPECTED = {
    "float_parsing": "number", "float_type": "number", "int_parsing": "whole_number", "int_type": "whole_number",
    "int_from_float": "whole_number", "string_type": "text", "bool_parsing": "boolean", "bool_type": "boolean",
    "list_type": "list", "finite_number": "finite",
}
#: pydantic bound errors -> (catalogue phrase, the context key holding the bound)
_BOUNDS = {
    "greater_than": ("greater_than", "gt"), "greater_than_equal": ("greater_than_equal", "ge"),
    "less_than": ("less_than", "lt"), "less_than_equal": ("less_than_equal", "le"),
}


def _expected(error: Any) -> ConfigError | str:
    """What the value should have been, in the user's language where the catalogue knows the error type.

    Validators of our own (``value_error``) already say it in words; an unknown type keeps pydantic's text.
    """
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind in _EXPECTED:
        return ConfigError(f"errors.expected.{_EXPECTED[kind]}")
    if kind in _BOUNDS and _BOUNDS[kind][1] in ctx:
        phrase, bound = _BOUNDS[kind]
        return ConfigError(f"errors.expected.{phrase}", limit=f"{ctx[bound]}")
    if kind == "literal_error" and "expected" in ctx:
        return ConfigError("errors.expected.one_of", options=str(ctx["expected"]).replace(" or ", ", "))
    return str(error["msg"])
