"""The seeded synthetic demo region (Gelderse Vallei / Eem): ``make_demo(out, size, seed)``."""

from alliantie.demo.make import make_demo

__all__ = ["make_demo"]
