"""Drought (*droogte*, step 1 *Urgentie*): deficit, drought sensitivity, subsidence, foundations and wildfire.

The product combines the KNMI precipitation deficit (*neerslagtekort*) of every climate scenario with
the soil map, the GLG (*gemiddeld laagste grondwaterstand*), the land use, the nature areas and the
buildings into five sub-hazards (the chain and its kernels in :mod:`alliantie.hazards.drought`):

* drought sensitivity (*droogtegevoeligheid*) of farmland and nature (design deficit against root-zone
  water plus capillary rise);
* the GLG lowering the larger deficit of a scenario causes (the same in every sub-hazard below);
* peat subsidence (*bodemdaling*; cm from the base year to the horizon; rate class for the severity);
* foundation risk per building (wooden piles falling dry, *paalrot*; shallow foundations on clay and
  peat, *verschilzetting*);
* wildfire susceptibility near buildings (*natuurbrand*; fuel x dryness x nearness) and candidate
  firebreak zones (*brandgangen*).

The theme severity of a cell is the highest class of the sub-hazards that apply there
(sensitivity, subsidence rate, wildfire, and the foundation class on a building's footprint).

Modules: :mod:`.knowledge` (the typed ``drought.toml``), :mod:`.analysis` (deficits, vectors on the
grid, :func:`~.analysis.analyse`), :mod:`.indicators`, :mod:`.outputs` (files, maps, tables) and
:mod:`.product` (the dossier product :func:`~.product.drought`).
"""
