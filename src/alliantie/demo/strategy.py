"""The demo's ``strategy.toml``: the owner's choices for the strategy document (step 5), partly filled on purpose.

The choices are invented for the invented demo region (like all of its data); a few parts are left empty
(the ambassador, the frameworks, the use of the inspiration maps, tasks at neighbourhood level) so the
document shows how it names what is missing.
"""

from __future__ import annotations

from pathlib import Path

from alliantie.io.atomic import atomic_file

STRATEGY_FILE = "strategy.toml"

STRATEGY_TOML = """\
# The owner's choices for the strategy document (strategy.document, step 5); see docs/strategy.md.
# Invented for the demo region, and left partly empty on purpose: the document says what is missing.

[urgency]
further_study = \"\"\"Een gedetailleerde stresstest van Binnenstad (funderingen op veen en klei bij droogte) en \
Westwijk (hitte, 65-plussers) voor eind 2027, door de gemeente met het waterschap; Singelkwartier (water boven \
vloerpeil bij 70 mm in 2 uur) gaat mee in de studie voor de rioolvervanging.\"\"\"

[[urgency.policy]]
document = "Gemeentelijk rioleringsplan 2022-2026"
owner = "municipality"
verdict = "adapt"
change = "60 mm berging per m2 nieuwe verharding; daken afkoppelen in Singelkwartier"

[[urgency.policy]]
document = "Waterbeheerprogramma 2022-2027"
owner = "water_board"
verdict = "keep"
change = "houdt water al vast in de brongebieden van de beken"

[[urgency.policy]]
document = "Hitteplan"
owner = "municipality"
verdict = "new"
change = "koele plekken binnen 300 m van elke woning in Westwijk en Waterrijk"

[policy]
main_lines = [
  "Water wordt vastgehouden waar het valt: eerst infiltreren, dan vasthouden, dan afvoeren.",
  "De beekdalen en de dekzandruggen dragen de groenblauwe structuur; bebouwing volgt ze.",
  "Elk gepland werk in een aandachtsgebied neemt de aanpassing mee (meekoppelen).",
]

[[policy.tasks]]
task = "Water vasthouden in de brongebieden van de Valleibeek en de bodem verbeteren"
scale = "region"
organisations = ["water_board", "province"]

[[policy.tasks]]
task = "Berging en infiltratie bij elke rioolvervanging en wegvernieuwing"
scale = "city"
organisations = ["municipality"]

[[policy.responsibilities]]
organisation = "water_board"
responsible_for = ["berging in het buitengebied", "beekherstel", "dijkversterking"]
when = "in eigen projecten, vanaf het ontwerp"

[[policy.responsibilities]]
organisation = "municipality"
responsible_for = ["riool en openbare ruimte", "hitteplan", "initiatieven toetsen aan het afwegingskader"]

[[policy.preconditions]]
kind = "training"
text = "Een cursus over de analysewijzer en de gidsmodellen voor de planners van gemeente en waterschap"

[implementation]
cycle_start = 2026
cycle_years = 2

[implementation.working_group]
members = ["Gemeente: ruimtelijke ordening, riool en openbare ruimte", "Waterschap: gebiedsbeheerder",
           "Provincie: landelijk gebied"]
tasks = "begeleidt de uitvoering van de visie, monitort en evalueert elke twee jaar"
meets = "elke twee maanden"

[[implementation.programme]]
project = "Rioolvervanging Zuidwijk"
priority = 1
action = "Daken afkoppelen en infiltratiekratten aanleggen bij de rioolvervanging"
partner = "municipality"

[[implementation.programme]]
project = "Beekherstel Valleibeek"
priority = 1
action = "Het beekdal verbreden voor berging tijdens het herstel"
partner = "water_board"

[[implementation.programme]]
action = "Gedetailleerde stresstest van Binnenstad en Westwijk"
priority = 2
partner = "municipality"
year = 2026

[monitoring]
indicators = ["pluvial.buildings_above_floor_t100", "heat.residents_pet_extreme", "damage.pluvial"]
every_years = 2
responsible = "de werkgroep"
"""


def write_strategy(folder: Path) -> Path:
    """Write the demo's ``strategy.toml`` into ``folder`` (beside ``dossier.toml``)."""
    target = Path(folder) / STRATEGY_FILE
    with atomic_file(target) as tmp:
        tmp.write_text(STRATEGY_TOML, encoding="utf-8")
    return target
