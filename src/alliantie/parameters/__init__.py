"""Typed parameter models of every product family (the ``[parameters.*]`` sections of ``dossier.toml``).

Pydantic leaves: they import nothing of the method, so the config (``dossier/``) and the
products (``method/``) can both use them.
"""
