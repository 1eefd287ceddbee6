"""The web app (``alliantie serve``): an atlas of a dossier's saved products and the sketch workshop.

A FastAPI application built by :func:`alliantie.web.app.create_app`; its store (workshops, participants,
sketches, syntheses and the log of moves) is SQLAlchemy over SQLite in the dossier folder or PostgreSQL with
PostGIS for a shared server. Nothing here recomputes a product: the atlas serves the saved files, the live
indicators call the step 3 measure engine on the saved baseline.
"""
