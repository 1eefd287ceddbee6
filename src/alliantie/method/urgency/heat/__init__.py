"""Heat stress (*hittestress*, step 1 *Urgentie*): felt temperature, heat island, cooling and cool places.

The method: the elevation model, land use and buildings give the sky view
factor, the maximum urban heat island (*stedelijk
hitte-eiland*, Theeuwes et al. 2017), the felt temperature (*gevoelstemperatuur*,
PET) of the standard hot afternoon per climate scenario, the cooling capacity of
green and water (InVEST Urban Cooling Model) and the distance to a cool place
(*koele plek*); residents and over-65s are counted per neighbourhood (*buurt*).

* :mod:`.knowledge`: the typed knowledge file ``heat.toml`` (every number with
  unit and source) and the numbers the analysis uses;
* :mod:`.analysis`: the computation on the grid (:func:`~.analysis.analyse`),
  calling the kernels of :mod:`alliantie.hazards.heat`;
* :mod:`.exposure`: residents and over-65s per cell;
* :mod:`.outputs`: rasters, severity, theme files, maps and the table;
* :mod:`.product`: :func:`~.product.heat`, the dossier product.
"""
