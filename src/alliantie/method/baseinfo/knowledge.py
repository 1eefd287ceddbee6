"""The knowledge files of step 2 (*Basisinformatie*), typed: class tables, rule tables, the analysewijzer.

Each model mirrors its file in ``knowledge/data/`` and keeps the file's
``source`` and, where the file carries numbers, its ``unit``. A file that does
not fit (the shipped one or a dossier's own, ``[knowledge]`` in ``dossier.toml``)
is a :class:`~alliantie.errors.ConfigError` naming the file and the field (see
:mod:`alliantie.knowledge.model`). The shared files ``soil_classes`` and
``lgn_classes`` have their models on the knowledge floor
(:mod:`alliantie.knowledge.soil_classes`, :mod:`alliantie.knowledge.land_use`).

Rules (``[[rule]]``, the ``when`` of a Gt class or of a structure carrier part)
are read here as conditions ``<variable>_min``/``_max`` (a number or
``"{parameter}"``) and ``<variable>_in`` (class names); which variables,
classes and parameters exist is checked by the rule engine
(:mod:`alliantie.method.baseinfo.rules`) when a product applies them.
"""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import Field, ValidationInfo, field_validator

from alliantie.knowledge.model import ClassRow, KnowledgeFile, KnowledgeModel, Names, unique_classes
from alliantie.method.baseinfo.rules import PARAMETER, SUFFIXES, Condition, Limit


def check_conditions(when: dict[str, Condition]) -> dict[str, Condition]:
    """``when`` if every condition has a known suffix and a value of the right kind (a field validator)."""
    for key, value in when.items():
        suffix = next((s for s in SUFFIXES if key.endswith(s) and len(key) > len(s)), None)
        if suffix is None:
            raise ValueError(f"condition {key!r} must be <variable>_min, <variable>_max or <variable>_in")
        if suffix == "_in":
            if not isinstance(value, str | list):
                raise ValueError(f"condition {key!r} needs a class name or a list of class names")
        elif not _is_limit(value):
            raise ValueError(f"condition {key!r} needs a number or a dossier parameter as \"{{name}}\", got {value!r}")
    return when


def check_limit(value: Limit, info: ValidationInfo) -> Limit:
    """``value`` if it is a number or ``"{parameter}"`` (a field validator)."""
    if not _is_limit(value):
        raise ValueError(f"{info.field_name} needs a number or a dossier parameter as \"{{name}}\", got {value!r}")
    return value


def _is_limit(value: Condition) -> bool:
    return not isinstance(value, list) and (not isinstance(value, str) or bool(PARAMETER.fullmatch(value.strip())))


class Rule(KnowledgeModel):
    """A ``[[rule]]`` of an ordered rule table: the first rule whose conditions hold gives its class."""

    id: str = Field(min_length=1)
    class_name: str = Field(alias="class", description="the class the rule gives")
    when: dict[str, Condition] = Field(default_factory=dict, description="conditions; none: every cell")
    nl: str = Field(description="the rule in words, Dutch")
    en: str = Field(description="the rule in words, English")

    _conditions = field_validator("when")(check_conditions)


class _RuleFile(KnowledgeFile):
    """A file of numeric rules: its numbers have a unit."""

    unit: str = Field(min_length=1, description="unit of the limits of the rules")


# --- groundwater_classes.toml ----------------------------------------------------------------------

class GtClass(ClassRow):
    """A ``[[class]]`` row: a Grondwatertrap and the GHG/GLG limits (``when``) that give it."""

    when: dict[str, Condition] = Field(default_factory=dict)

    _conditions = field_validator("when")(check_conditions)

    @property
    def class_name(self) -> str:
        """The class a Gt row gives as a rule: itself."""
        return self.id


class GroundwaterClasses(_RuleFile):
    """Contents of ``groundwater_classes.toml``: the Gt table, first matching class wins."""

    FILE = "groundwater_classes"

    classes: list[GtClass] = Field(alias="class", min_length=1)

    _unique = field_validator("classes")(unique_classes)


# --- seepage_rules.toml ----------------------------------------------------------------------------

class SeepageRules(_RuleFile):
    """Contents of ``seepage_rules.toml``: the zones (classes of seepage.tif) and the rules that give them."""

    FILE = "seepage_rules"

    zone: list[ClassRow] = Field(min_length=1)
    rule: list[Rule] = Field(min_length=1)

    _unique = field_validator("zone")(unique_classes)


# --- landscape_rules.toml --------------------------------------------------------------------------

class LandscapeType(ClassRow):
    """A ``[[type]]`` row: a landscape type, its landscape group and its gidsmodel (guide model of step 3)."""

    group: str = Field("", description="key of [groups]")
    gidsmodel: Names | None = None


class LandscapeRules(_RuleFile):
    """Contents of ``landscape_rules.toml``: the types, their groups and the ordered rules."""

    FILE = "landscape_rules"

    type: list[LandscapeType] = Field(min_length=1)
    groups: dict[str, Names] = Field(default_factory=dict)
    rule: list[Rule] = Field(min_length=1)

    _unique = field_validator("type")(unique_classes)


# --- structure_rules.toml --------------------------------------------------------------------------

class CarrierPart(KnowledgeModel):
    """A ``[[carrier.part]]``: the cells where all conditions hold, widened by ``buffer_m``."""

    when: dict[str, Condition] = Field(default_factory=dict)
    buffer_m: Limit = 0.0

    _conditions = field_validator("when")(check_conditions)
    _limit = field_validator("buffer_m")(check_limit)


class Carrier(KnowledgeModel):
    """A ``[[carrier]]``: one kind of structure carrier, the union of its parts."""

    kind: str = Field(min_length=1)
    rule: str = Field(description="rule id (S1, S2, ...) shown with the carrier")
    nl: str
    en: str
    components: str = Field(description="the base maps it is made of (bodem, water, groen)")
    color: str = Field(pattern=r"^#[0-9a-fA-F]{6}$")
    close_m: Limit = Field(0.0, description="joins pieces less than 2 x close_m apart")
    link_streams_m: Limit = Field(0.0, description="half-width of the stream corridors that link two pieces")
    description_nl: str
    description_en: str
    part: list[CarrierPart] = Field(default_factory=list)

    _limits = field_validator("close_m", "link_streams_m")(check_limit)


class StructureRules(_RuleFile):
    """Contents of ``structure_rules.toml``: the kinds of structure carriers."""

    FILE = "structure_rules"

    carrier: list[Carrier] = Field(min_length=1)

    @field_validator("carrier")
    @classmethod
    def _unique_kinds(cls, carriers: list[Carrier]) -> list[Carrier]:
        kinds = [c.kind for c in carriers]
        if len(set(kinds)) != len(kinds):
            raise ValueError(f"carrier kinds repeat: {kinds}")
        return carriers


# --- water_kinds.toml, vegetation_groups.toml ------------------------------------------------------

class WaterKinds(KnowledgeFile):
    """Contents of ``water_kinds.toml``: the kinds of water courses and water bodies (no numbers, no unit)."""

    FILE = "water_kinds"

    watercourse: list[ClassRow] = Field(min_length=1)
    waterbody: list[ClassRow] = Field(min_length=1)

    _unique = field_validator("watercourse", "waterbody")(unique_classes)


class VegetationGroup(ClassRow):
    """A ``[[group]]`` row: a vegetation group (code in vegetation.tif)."""

    nature: bool = Field(description="a kind of nature (forest, heath, wetland)")
    wet: bool


class VegetationGroups(KnowledgeFile):
    """Contents of ``vegetation_groups.toml`` (groups of the LGN classes of ``lgn_classes.toml``)."""

    FILE = "vegetation_groups"

    group: list[VegetationGroup] = Field(min_length=1)

    _unique = field_validator("group")(unique_classes)


# --- analysewijzer.toml ----------------------------------------------------------------------------

#: How an element is found in the dossier (``presence``): the rasters and carriers of step 2.
PresenceKey = Literal["landscape", "seepage", "vegetation", "gt", "structure", "nature_network"]
PRESENCE_KEYS: tuple[str, ...] = get_args(PresenceKey)
Layer = Literal["soil", "water", "green"]
LAYERS: tuple[str, ...] = get_args(Layer)


class Goal(KnowledgeModel):
    """A ``[[goal]]``: one of the six societal goals, in historical order."""

    id: str
    order: int | None = None
    label: Names
    description: Names | None = None


class Element(KnowledgeModel):
    """An ``[[element]]``: a structure element of a base map, where it is found and its meaning per goal."""

    id: str
    layer: Layer
    label: Names
    presence: dict[PresenceKey, list[str] | bool] = Field(default_factory=dict)
    meaning: dict[str, Names] = Field(default_factory=dict, description="goal id -> meaning")

    @field_validator("presence")
    @classmethod
    def _presence(cls, presence: dict[PresenceKey, list[str] | bool]) -> dict[PresenceKey, list[str] | bool]:
        for key, value in presence.items():
            if isinstance(value, bool) != (key == "nature_network"):
                wanted = "true or false" if key == "nature_network" else "a list of names"
                raise ValueError(f"presence {key} needs {wanted}, got {value!r}")
        return presence


class Analysewijzer(KnowledgeFile):
    """Contents of ``analysewijzer.toml`` (completeness: :func:`~.analysewijzer.check_analysewijzer`)."""

    FILE = "analysewijzer"

    goal: list[Goal]
    element: list[Element]
