"""The strategy document as one self-contained HTML page (the style inside, no scripts, no links out)."""

from __future__ import annotations

from html import escape

from alliantie.contract.strategy_document import DOCUMENT_HTML
from alliantie.method.strategy.document.model import Block, Bullets, Document, Para, Table

HTML_FILE = DOCUMENT_HTML
MISSING = ' class="missing"'
NUMERIC = ' class="n"'

STYLE = """
body { font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; font-size: 10.5pt; line-height: 1.45;
       color: #1d2327; max-width: 52em; margin: 2em auto; padding: 0 1.2em; }
h1 { font-size: 22pt; margin: 0 0 .2em; }
h2 { font-size: 15pt; margin: 1.8em 0 .4em; border-bottom: 2px solid #2f6b3a; padding-bottom: .15em; }
h3 { font-size: 11.5pt; margin: 1.3em 0 .3em; color: #2f6b3a; }
p.kicker { color: #2f6b3a; font-weight: bold; letter-spacing: .05em; margin-bottom: .2em; }
p.subtitle { color: #5b6770; font-size: 12pt; margin-top: 0; }
p.missing { color: #5b6770; font-style: italic; border-left: 3px solid #fe9929; padding-left: .6em; }
table { border-collapse: collapse; margin: .5em 0 1em; font-size: 9pt; width: 100%; }
th { background: #2f6b3a; color: #fff; text-align: left; padding: 3px 5px; vertical-align: bottom; }
td { border-bottom: 1px solid #d5dadd; padding: 3px 5px; vertical-align: top; }
td.n, th.n { text-align: right; white-space: nowrap; }
tfoot td { font-weight: bold; border-top: 1.5px solid #000; }
table.facts th { background: none; color: #5b6770; font-weight: normal; width: 12em; }
nav ol { padding-left: 1.4em; }
@media print { body { max-width: none; } h2 { break-after: avoid; } table { break-inside: auto; } }
"""


def _block(block: Block) -> str:
    if isinstance(block, Para):
        return f"<p{MISSING if block.missing else ''}>{escape(block.text)}</p>"
    if isinstance(block, Bullets):
        return "<ul>" + "".join(f"<li>{escape(item)}</li>" for item in block.items) + "</ul>"
    return _table(block)


def _table(table: Table) -> str:
    def cells(row: list[str], tag: str) -> str:
        return "".join(f"<{tag}{NUMERIC if num else ''}>{escape(c)}</{tag}>"
                       for c, num in zip(row, table.numeric, strict=True))

    head = f"<thead><tr>{cells(table.headings, 'th')}</tr></thead>"
    body = "<tbody>" + "".join(f"<tr>{cells(r, 'td')}</tr>" for r in table.rows) + "</tbody>"
    foot = f"<tfoot><tr>{cells(table.total, 'td')}</tr></tfoot>" if table.total else ""
    caption = f"<caption>{escape(table.caption)}</caption>" if table.caption else ""
    return f"<table>{caption}{head}{body}{foot}</table>"


def render_html(doc: Document) -> str:
    """The page of ``doc``."""
    out = [f'<!DOCTYPE html>\n<html lang="{doc.language}">\n<head>\n<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{escape(doc.title)} – {escape(doc.name)}</title>\n<style>{STYLE}</style>\n</head>\n<body>",
           f'<header>\n<p class="kicker">{escape(doc.title.upper())}</p>\n<h1>{escape(doc.name)}</h1>',
           f'<p class="subtitle">{escape(doc.subtitle)}</p>\n<table class="facts"><tbody>']
    out += [f'<tr><th scope="row">{escape(label)}</th><td>{escape(value)}</td></tr>' for label, value in doc.facts]
    out.append("</tbody></table>\n</header>\n<nav><ol>")
    for chapter in doc.chapters:
        parts = "".join(f'<li><a href="#{p.id}">{escape(p.heading)}</a></li>' for p in chapter.parts)
        out.append(f'<li><a href="#{chapter.id}">{escape(chapter.heading)}</a><ol>{parts}</ol></li>')
    out.append("</ol></nav>\n<main>")
    for chapter in doc.chapters:
        out.append(f'<section id="{chapter.id}">\n<h2>{chapter.number} {escape(chapter.heading)}</h2>')
        out.append(f"<p>{escape(chapter.intro)}</p>")
        for number, part in enumerate(chapter.parts, start=1):
            out.append(f'<section id="{part.id}">\n<h3>{chapter.number}.{number} {escape(part.heading)}</h3>')
            out += [_block(b) for b in part.blocks]
            out.append("</section>")
        out.append("</section>")
    out.append("</main>\n</body>\n</html>\n")
    return "\n".join(out)
