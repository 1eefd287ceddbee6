"""Synthetic data factories for tests (seeded, small, in EPSG:28992)."""

from alliantie.testing.factories import make_raster_file, small_grid, write_minimal_dossier

__all__ = ["make_raster_file", "small_grid", "write_minimal_dossier"]
