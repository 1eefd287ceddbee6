"""What the writers lay out: the report's sections and their blocks, every text in the report language.

:func:`alliantie.report.view.make_view` turns the declared chapters
(:mod:`alliantie.contract.sections`) into one ordered list of :class:`Section`;
the HTML template and the PDF writer walk that list and lay out each block by
its ``kind``. A section is itself a block, so a chapter holds its subsections
where they come.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar, TypeVar

from alliantie.contract.sections import Page

Kind = TypeVar("Kind")


@dataclass(frozen=True)
class Paragraph:
    """A paragraph; ``missing`` says what is not available (set apart)."""

    kind: ClassVar[str] = "paragraph"
    text: str
    missing: bool = False


@dataclass(frozen=True)
class Link:
    """A link to a file the report carries beside its maps (the strategy document), with the text to show."""

    kind: ClassVar[str] = "link"
    text: str
    file: str


@dataclass(frozen=True)
class MapFigure:
    """A map (``drawn`` False) or a figure a product drew itself (``drawn`` True), numbered, with a caption."""

    kind: ClassVar[str] = "figure"
    number: int
    title: str
    description: str
    file: str
    product: str
    drawn: bool = False


@dataclass(frozen=True)
class TableView:
    """A product's table (:class:`~alliantie.contract.spec.TableSpec`) with every cell formatted."""

    kind: ClassVar[str] = "table"
    number: int
    id: str
    title: str
    description: str
    headings: list[str]
    #: Per column: True when it holds numbers (set right-aligned).
    numeric: list[bool]
    rows: list[list[str]]
    total: list[str] | None
    note: str


@dataclass(frozen=True)
class InputTable:
    """The input files of the dossier: (name, file, use, what it is and how it was read, configured) per input.

    The use is one of used, converted, defaulted or missing (the catalogue's ``report.inputs.status``).
    """

    kind: ClassVar[str] = "inputs"
    headings: tuple[str, str, str, str]
    rows: list[tuple[str, str, str, str, bool]]


@dataclass(frozen=True)
class MatrixRow:
    layer: str
    label: str
    present: bool
    note: str
    cells: list[str]


@dataclass(frozen=True)
class Matrix:
    """The analysewijzer: elements (grouped by layer) x goals, set on a wide page."""

    kind: ClassVar[str] = "matrix"
    element_heading: str
    goals: list[str]
    rows: list[MatrixRow]


@dataclass(frozen=True)
class Image:
    """A picture over the text width without a caption (the lagenkaart); ``id`` names it for the style sheet."""

    kind: ClassVar[str] = "image"
    id: str
    file: str
    alt: str


@dataclass(frozen=True)
class ClassTable:
    """Area and share per class of a classified map, with its colour, and the total."""

    kind: ClassVar[str] = "classes"
    headings: tuple[str, str, str]
    #: (colour, label, area, share) per class.
    rows: list[tuple[str, str, str, str]]
    total: tuple[str, str, str]


@dataclass(frozen=True)
class CarrierTable:
    """The structure carriers: kind, name, area, description; ``more`` sums up the ones left out."""

    kind: ClassVar[str] = "carriers"
    headings: tuple[str, str, str, str]
    rows: list[tuple[str, str, str, str]]
    more: str = ""


@dataclass(frozen=True)
class CountTable:
    """Affected buildings and roads per neighbourhood for one pluvial case (step 1)."""

    kind: ClassVar[str] = "counts"
    title: str
    headings: tuple[str, str, str, str, str]
    rows: list[tuple[str, str, str, str, str]]
    total: tuple[str, str, str, str, str]
    #: Said when there are no neighbourhood rows.
    missing: str = ""


@dataclass(frozen=True)
class ProvenanceBlock:
    name: str
    title: str
    rows: list[tuple[str, str]]


@dataclass(frozen=True)
class ProvenanceList:
    """How each product was made."""

    kind: ClassVar[str] = "provenance"
    blocks: list[ProvenanceBlock]


@dataclass(frozen=True)
class SourceList:
    """Knowledge file -> its sources, once for the whole report (the provenance blocks only count them)."""

    kind: ClassVar[str] = "sources"
    heading: str
    intro: str
    files: list[tuple[str, list[str]]]


@dataclass
class Section:
    """A chapter (``level`` 1) or a subsection (``level`` 2) with its blocks, subsections among them.

    ``number`` is set by the view from the order of the sections ("3", "3.2"; "" for an appendix).
    """

    kind: ClassVar[str] = "section"
    id: str
    heading: str
    level: int = 1
    #: The theme a subsection shows (None for a chapter).
    theme: str | None = None
    #: Where a chapter starts (see :data:`alliantie.contract.sections.Page`).
    page: Page = "continue"
    appendix: bool = False
    blocks: list[Block] = field(default_factory=list)
    number: str = ""

    @property
    def sections(self) -> list[Section]:
        return self.all(Section)

    @property
    def figures(self) -> list[MapFigure]:
        """The maps."""
        return [b for b in self.all(MapFigure) if not b.drawn]

    @property
    def drawn(self) -> list[MapFigure]:
        """The figures the products drew themselves."""
        return [b for b in self.all(MapFigure) if b.drawn]

    @property
    def tables(self) -> list[TableView]:
        return self.all(TableView)

    def all(self, kind: type[Kind]) -> list[Kind]:
        """The blocks of type ``kind`` (not those of the subsections)."""
        return [b for b in self.blocks if isinstance(b, kind)]


Block = (Paragraph | Link | MapFigure | TableView | InputTable | Matrix | Image | ClassTable | CarrierTable | CountTable
         | ProvenanceList | SourceList | Section)
