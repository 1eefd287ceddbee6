"""The cartography kit: layer stacks drawn with matplotlib and the named colour ramps.

Low in the house so that step products (which draw their own maps) and the report can both use it.
"""
