"""The report as one self-contained HTML page (``index.html`` + ``style.css`` + ``maps/``).

Rendered with Jinja2 from ``templates/report.html.j2``, which walks the view's
sections and lays out each block by its kind; no scripts, no web fonts, no
links outside the report folder, so it opens offline and prints on A4.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from alliantie.io.atomic import atomic_file
from alliantie.report.view import ReportView

HTML_FILE = "index.html"
CSS_FILE = "style.css"


def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("alliantie.report", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_html(view: ReportView) -> str:
    return _environment().get_template("report.html.j2").render(v=view, t=view.t)


def write_html(view: ReportView, out_dir: Path) -> Path:
    """Write ``index.html`` and ``style.css`` into ``out_dir``."""
    html = render_html(view)
    css = resources.files("alliantie.report").joinpath("templates", CSS_FILE).read_text(encoding="utf-8")
    with atomic_file(out_dir / CSS_FILE) as tmp:
        tmp.write_text(css, encoding="utf-8")
    with atomic_file(out_dir / HTML_FILE) as tmp:
        tmp.write_text(html, encoding="utf-8")
    return out_dir / HTML_FILE
