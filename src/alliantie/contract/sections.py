"""The chapters of the dossier report, declared as data: their order, headings and what feeds them.

A chapter is a :class:`SectionDecl`: an id (its anchor in the HTML page), an order, a heading and
an intro (a bilingual :class:`~alliantie.contract.spec.Text` or a catalogue key) and its blocks:

- :class:`Paragraph`: a text;
- :class:`StepThemes`: one subsection per theme of the products of some method steps, each with the
  maps of its products, the figures they drew themselves and their tables (``maps.json`` and
  ``tables.json``), in :data:`REPORT_THEMES` order;
- :class:`ProductSection`: what the section builder of one product makes of its saved files (the
  analysewijzer matrix, the lagenkaart, the table of landscape types...);
- :class:`Inputs`: the dossier's input files; :class:`Provenance`: how every product was made and
  every knowledge source once.

The report numbers the chapters from :data:`REPORT_SECTIONS` (an appendix is not numbered) and its
HTML and PDF writers lay out whatever the blocks hold: a new step of the method adds a declaration
here (with its catalogue texts), not a line in a writer.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Final, Literal

from pydantic import BaseModel, ConfigDict, Field

from alliantie.contract.names import (
    ANALYSEWIJZER,
    LAGENKAART,
    LANDSCAPE,
    PLUVIAL,
    STRATEGY_DOCUMENT,
    STRUCTURE,
    THEMES,
)
from alliantie.contract.spec import Text, ThemeName
from alliantie.i18n import has_key, translate

#: A text of the report: bilingual, or the key of a catalogue entry (``"report.step2.heading"``).
Heading = Text | str

#: Order of the themes in the report: the base themes of step 2, then step 1: the climate, the four
#: climate effects (in the order of :data:`alliantie.contract.names.THEMES`) and what brings them together.
REPORT_THEMES: Final[tuple[ThemeName, ...]] = (
    "soil", "water", "green", "landscape", "structure", "other",
    "climate", *THEMES, "vulnerability", "trend", "damage", "stresstest",
)


def resolve(text: Heading, language: str) -> str:
    """``text`` in ``language``: a :class:`Text` as it is, a catalogue key looked up."""
    return text.get(language) if isinstance(text, Text) else translate(text, language)


def exists(text: Heading) -> bool:
    """True when ``text`` can be shown: a :class:`Text`, or a key the catalogue has."""
    return isinstance(text, Text) or has_key(text)


class _Decl(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Paragraph(_Decl):
    """A paragraph of text."""

    kind: Literal["paragraph"] = "paragraph"
    text: Heading


class StepThemes(_Decl):
    """One subsection per theme of the products of ``steps``: maps, product-drawn figures, tables.

    Maps, figures and tables are numbered on through the report.
    """

    kind: Literal["themes"] = "themes"
    steps: tuple[int, ...]


class ProductSection(_Decl):
    """What the section builder of ``product`` shows of the saved product (it says so when the product is missing)."""

    kind: Literal["product"] = "product"
    product: str


class Inputs(_Decl):
    """The input files of the dossier: name, file, what it is."""

    kind: Literal["inputs"] = "inputs"


class Provenance(_Decl):
    """How each product was made (inputs, parameters, knowledge files), then every knowledge source once."""

    kind: Literal["provenance"] = "provenance"


BlockDecl = Annotated[Paragraph | StepThemes | ProductSection | Inputs | Provenance, Field(discriminator="kind")]

#: Where a chapter starts: on the current page, on a new page, or on a new landscape page (wide tables).
Page = Literal["continue", "new", "landscape"]


class ParameterVariant(_Decl):
    """A text that follows a parameter of a saved product: key ``<intro>_<value>`` where the catalogue has it.

    ``parameter`` is a dotted path into the ``parameters`` of the product's ``provenance.json``
    (``"pluvial.engine"``); without the product, the parameter or the key the plain text stays.
    """

    product: str
    parameter: str


class SoleTheme(_Decl):
    """Heading and intro of a chapter whose subsections are all of one ``theme``."""

    theme: ThemeName
    heading: Heading
    intro: Heading
    #: the intro as the product computed it (e.g. the pluvial engine), when the catalogue has a variant
    intro_variant: ParameterVariant | None = None


class SectionDecl(_Decl):
    """A chapter of the report."""

    id: str
    order: int
    heading: Heading
    #: A paragraph right under the heading.
    intro: Heading | None = None
    blocks: tuple[BlockDecl, ...] = ()
    sole_theme: SoleTheme | None = None
    #: Left out when its blocks show nothing but text (a step without products).
    optional: bool = False
    page: Page = "continue"
    #: After the chapters, not numbered.
    appendix: bool = False

    @property
    def steps(self) -> tuple[int, ...]:
        """The method steps whose products' themes this chapter shows."""
        return tuple(step for block in self.blocks if isinstance(block, StepThemes) for step in block.steps)

    @property
    def products(self) -> tuple[str, ...]:
        """The products whose section builders add to this chapter."""
        return tuple(block.product for block in self.blocks if isinstance(block, ProductSection))


REPORT_SECTIONS: Final[tuple[SectionDecl, ...]] = (
    SectionDecl(id="intro", order=10, heading="report.intro.heading", intro="report.intro.text"),
    SectionDecl(id="inputs", order=20, heading="report.inputs.heading", intro="report.inputs.intro",
                blocks=(Inputs(),)),
    SectionDecl(id="step1", order=30, heading="report.step1.heading_all", intro="report.step1.intro_all",
                blocks=(StepThemes(steps=(1,)), ProductSection(product=PLUVIAL)),
                sole_theme=SoleTheme(theme="pluvial", heading="report.step1.heading", intro="report.step1.intro",
                                     intro_variant=ParameterVariant(product=PLUVIAL, parameter="pluvial.engine")),
                optional=True, page="new"),
    SectionDecl(id="step2", order=40, heading="report.step2.heading", intro="report.step2.intro",
                blocks=(StepThemes(steps=(2,)),), page="new"),
    SectionDecl(id="analysewijzer", order=50, heading="report.analysewijzer.heading",
                blocks=(ProductSection(product=ANALYSEWIJZER),), page="landscape"),
    SectionDecl(id="lagenkaart", order=60, heading="report.lagenkaart.heading",
                blocks=(ProductSection(product=LAGENKAART),), page="new"),
    SectionDecl(id="landscape", order=70, heading="report.landscape.heading",
                blocks=(ProductSection(product=LANDSCAPE),)),
    SectionDecl(id="carriers", order=80, heading="report.carriers.heading",
                blocks=(ProductSection(product=STRUCTURE),)),
    # step 3 gets its chapter from step_chapter (order 83); steps 4 and 5 are declared: the inspiration maps, and
    # meekoppelen, the business case and the link to the strategy document (each chapter left out without products)
    SectionDecl(id="step4", order=84, heading="report.step4.heading", intro="report.step4.intro",
                blocks=(StepThemes(steps=(4,)),), optional=True, page="new"),
    SectionDecl(id="step5", order=85, heading="report.step5.heading", intro="report.step5.intro",
                blocks=(StepThemes(steps=(5,)), ProductSection(product=STRATEGY_DOCUMENT)), optional=True,
                page="new"),
    SectionDecl(id="provenance", order=90, heading="report.provenance.heading", intro="report.provenance.intro",
                blocks=(Provenance(),), page="new", appendix=True),
)


def step_chapter(step: int) -> SectionDecl:
    """The chapter of a method step that declares none of its own: the themes of its products.

    Headed by the catalogue's ``report.step<N>.heading`` (the step's own catalogue file brings it;
    "Stap N" / "Step N" without it) with ``report.step<N>.intro`` under it when present; placed after
    the chapters of step 2 and before the appendix.
    """
    heading_key, intro_key = f"report.step{step}.heading", f"report.step{step}.intro"
    return SectionDecl(
        id=f"step{step}", order=80 + step,
        heading=heading_key if has_key(heading_key) else Text(nl=f"Stap {step}", en=f"Step {step}"),
        intro=intro_key if has_key(intro_key) else None,
        blocks=(StepThemes(steps=(step,)),), optional=True, page="new",
    )


def report_sections(
    sections: tuple[SectionDecl, ...] = REPORT_SECTIONS, steps: Iterable[int] = ()
) -> list[SectionDecl]:
    """The chapters in report order: ``sections``, plus a :func:`step_chapter` for every step in ``steps``
    (the steps of the products at hand) that no declared chapter shows."""
    shown = set(report_steps(sections))
    extra = [step_chapter(step) for step in sorted(set(steps)) if step > 0 and step not in shown]
    return sorted([*sections, *extra], key=lambda s: s.order)


def report_steps(sections: tuple[SectionDecl, ...] = REPORT_SECTIONS) -> tuple[int, ...]:
    """The method steps whose products the report shows."""
    return tuple(sorted({step for section in sections for step in section.steps}))
