"""Heat stress kernels (numpy in, numpy out, NaN = no data): heat island, sky view, felt temperature, cooling.

* :mod:`~alliantie.hazards.heat.sky_view`: horizon-angle sky view factor of a
  surface model (numba), ``SVF = 1 - mean(sin^2(horizon angle))`` over the
  directions.
* :mod:`~alliantie.hazards.heat.heat_island`: the diagnostic equation of
  Theeuwes et al. (2017, Int. J. Climatol. 37:443-454) for the maximum urban
  heat island (*stedelijk hitte-eiland*) of a day,
  ``UHImax = (2 - SVF - f_veg) * (S * DTR**3 / U) ** (1/4)``, and the
  vegetation fraction within a disc.
* :mod:`~alliantie.hazards.heat.radiation`: sun positions, cast shadows and a
  six-direction radiation budget of a standing person in sun or shade with the
  sky view factor (mean radiant temperature).
* :mod:`~alliantie.hazards.heat.pet`: the physiological equivalent temperature
  (PET, *gevoelstemperatuur*, Höppe 1999) tabulated over mean radiant
  temperature and wind with ``pythermalcomfort`` and interpolated per cell, per
  air temperature of a climate scenario.
* :mod:`~alliantie.hazards.heat.cooling`: the InVEST Urban Cooling Model's
  cooling capacity and the cooling of large green areas over distance; the
  distance to a cool place (*koele plek*) of at least a minimum area.

The generic focal means and distances live in :mod:`alliantie.raster`.
"""
