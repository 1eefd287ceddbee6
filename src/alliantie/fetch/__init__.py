"""``alliantie fetch``: the national open datasets of a dossier's area, downloaded on request.

Never at run time: a run reads only the dossier's own files. ``fetch`` downloads from the public services
(PDOK: the AHN WCS, the OGC API Features of the BAG, BGT and CBS wijken en buurten, the BRO Bodemkaart
download) into ``inputs/fetched/``, with a content-addressed cache under ``.cache/fetch/`` of the dossier
(a second fetch reads the cache; a broken download resumes: files by HTTP Range, paged feature APIs per
page), and writes what it fetched, from where, under which licence and when into
``inputs/fetched/fetched.json``. The lines for ``dossier.toml`` are printed, or written with
``--write-config``.

Floor: the dossier level (it reads the dossier's boundary and writes into its folder); engines and steps
never import it (``pyproject.toml``: import-linter).
"""
