"""Typed ``document.json`` of ``strategy.document``: which files the strategy document has and which of its
parts still say that something is missing (the report counts them under its link to the document)."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict

from alliantie.io.atomic import atomic_file

DOCUMENT_FILE = "document.json"
#: The document's files in the product folder.
DOCUMENT_PDF = "strategy.pdf"
DOCUMENT_HTML = "strategy.html"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DocumentPart(_Model):
    id: str  #: the part (``policy_scan``, ``programme``, ...)
    chapter: str  #: ``urgency``, ``policy`` or ``implementation``
    missing: bool  #: True when the part says that the owner or a product has yet to supply something


class DocumentSummary(_Model):
    language: str
    files: list[str]
    parts: list[DocumentPart]


def write_document_summary(folder: Path, summary: DocumentSummary) -> Path:
    """Write ``document.json`` into ``folder`` (atomically)."""
    target = Path(folder) / DOCUMENT_FILE
    with atomic_file(target) as tmp:
        tmp.write_text(summary.model_dump_json(indent=1) + "\n", encoding="utf-8")
    return target


def read_document_summary(folder: Path) -> DocumentSummary | None:
    """The ``document.json`` of ``folder``; None when there is none."""
    path = Path(folder) / DOCUMENT_FILE
    if not path.exists():
        return None
    return DocumentSummary.model_validate_json(path.read_text(encoding="utf-8"))
