"""alliantie: a workbench for climate-adaptive spatial planning.

Implements the Dutch *Natuurlijke Alliantie* method (soil, water and green as
one system) in five steps: urgency, base information, vista, inspiration maps
and strategy. Importing this package has no side effects.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("alliantie")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
