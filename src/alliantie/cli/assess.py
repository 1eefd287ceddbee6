"""``alliantie assess DOSSIER INITIATIVE.gpkg [--out DIR]``: an initiative against the dossier's afwegingskader."""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table
from rich.text import Text

from alliantie.cli.common import _h, _t, err_console, handle_errors, out_console
from alliantie.errors import storage_errors
from alliantie.i18n import current_language

#: Status colours on the console.
_STYLES = {"pass": "green", "maatwerk": "yellow", "fail": "bold red"}


@click.command("assess", help=_h("assess"))
@click.argument("dossier_path", metavar="DOSSIER", type=click.Path(exists=True, path_type=Path))
@click.argument("initiative", type=click.Path(exists=True, path_type=Path))
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=None, help=_h("assess_out"))
@click.option("--layer", type=str, default=None, help=_h("assess_layer"))
@click.option("--language", type=click.Choice(["nl", "en"]), default=None, help=_h("assess_language"))
@handle_errors
def assess_command(dossier_path: Path, initiative: Path, out: Path | None, layer: str | None,
                   language: str | None) -> None:
    """Check INITIATIVE on DOSSIER; print a table per initiative and (``--out``) write the verdict."""
    from alliantie.dossier import load_dossier
    from alliantie.method.strategy.assessment.framework import assess_file
    from alliantie.method.strategy.assessment.rules import display
    from alliantie.method.strategy.assessment.verdict import write_verdict

    dossier = load_dossier(dossier_path)
    with err_console.status(_t("assessment.cli.running")):
        data = assess_file(dossier, initiative, layer=layer)
    lang = current_language()
    rules = {r.id: r for r in data.rules}
    for item in data.initiatives:
        status = _t(f"assessment.status.{item.status}")
        table = Table(title=Text(_t("assessment.cli.title", name=item.name, status=status),
                                 style=_STYLES[item.status]), title_justify="left")
        for key in ("rule", "status", "value", "threshold", "reason"):
            table.add_column(_t(f"assessment.cli.{key}"), overflow="fold")
        for result in item.rules:
            rule = rules[result.id]
            value = "–" if result.value is None else display(result.unit, result.value, lang)
            sign = "≥" if rule.comparison == "at_least" else "≤"
            table.add_row(rule.name.get(lang), Text(_t(f"assessment.status.{result.status}"),
                                                    style=_STYLES[result.status]),
                          value, f"{sign} {display(result.unit, result.threshold, lang)}", result.reason.get(lang))
        out_console.print(table)
    counts = {s: sum(1 for i in data.initiatives if i.status == s) for s in ("pass", "maatwerk", "fail")}
    out_console.print(_t("assessment.cli.summary", count=len(data.initiatives), passed=counts["pass"],
                         custom=counts["maatwerk"], failed=counts["fail"]), highlight=False)
    if out is not None:
        with storage_errors(out.absolute()):
            write_verdict(out, data, language or dossier.language)
        out_console.print(_t("assessment.cli.written", path=str(out)), highlight=False)


#: The command, typed for the group in :mod:`alliantie.cli.main`.
command: click.Command = assess_command
