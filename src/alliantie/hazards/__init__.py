"""Climate-hazard kernels of step 1: heat, drought and flood safety.

Pure computations on numpy arrays (no file I/O, no dossier): the products in
:mod:`alliantie.method.urgency` read the inputs, call these and write the
results. Import the submodule you need, e.g.
``from alliantie.hazards.heat.heat_island import theeuwes_uhi_max``.
"""
