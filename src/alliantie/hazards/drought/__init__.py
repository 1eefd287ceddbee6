"""Drought hazard (*droogte*, step 1 *Urgentie*): soil water supply, drought sensitivity, GLG lowering, peat
subsidence (*bodemdaling*), foundation risk (*paalrot*, *verschilzetting*) and wildfire susceptibility
(*natuurbrand*).

* :mod:`~alliantie.hazards.drought.kernels`: the relations, one sub-hazard at a time;
* :mod:`~alliantie.hazards.drought.chain`: the chain on the rasters of a study area: ground properties
  of every cell, then per climate scenario deficit -> GLG lowering -> sensitivity -> subsidence ->
  wildfire -> foundations -> theme severity.

Numpy in, numpy out; no files and no dossier (the product is :mod:`alliantie.method.urgency.drought`).
"""
