"""Writing fetched inputs into ``dossier.toml`` (``alliantie fetch --write-config``), keeping the rest as it is.

Only the ``[inputs]`` table is touched: a line ``name = ...`` there is replaced, a missing one added at the
table's end; comments and every other line stay. The file before the edit is kept as ``dossier.toml.bak``;
the result must still parse as TOML, else nothing is written.
"""

from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path

from alliantie.errors import ConfigError
from alliantie.io.atomic import atomic_file

_TABLE = re.compile(r"^\s*\[([^\[\]]+)\]\s*(#.*)?$")


def set_inputs(toml_path: Path, lines: list[str]) -> Path:
    """Set the ``[inputs]`` lines ``name = value`` of ``lines`` in ``toml_path``; returns the backup's path."""
    text = toml_path.read_text(encoding="utf-8")
    rows = text.splitlines()
    wanted = {line.split("=", 1)[0].strip(): line for line in lines}
    start = next((i for i, row in enumerate(rows) if (m := _TABLE.match(row)) and m.group(1).strip() == "inputs"),
                 None)
    if start is None:
        rows += ["", "[inputs]"]
        start = len(rows) - 1
    end = next((i for i in range(start + 1, len(rows)) if _TABLE.match(rows[i])), len(rows))
    for i in range(start + 1, end):
        key = rows[i].split("=", 1)[0].strip() if "=" in rows[i] and not rows[i].lstrip().startswith("#") else None
        if key in wanted:
            rows[i] = wanted.pop(key)
    insert_at = end
    while insert_at > start + 1 and not rows[insert_at - 1].strip():
        insert_at -= 1
    rows[insert_at:insert_at] = list(wanted.values())
    new = "\n".join(rows) + "\n"
    try:
        tomllib.loads(new)
    except tomllib.TOMLDecodeError as exc:  # pragma: no cover - the lines are made by config_lines
        raise ConfigError("errors.config_toml_syntax", path=str(toml_path), detail=str(exc)) from None
    backup = toml_path.with_name(toml_path.name + ".bak")
    shutil.copyfile(toml_path, backup)
    with atomic_file(toml_path) as tmp:
        tmp.write_text(new, encoding="utf-8")
    return backup
