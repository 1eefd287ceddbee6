"""The contract floor: what products hand each other and what the report and the web app read.

Map, table and figure specs (:mod:`.spec`), the theme file format (:mod:`.theme`), typed
summaries (:mod:`.summaries`), product and theme names (:mod:`.names`), report
sections (:mod:`.sections`) and the expert corrections layer of the vulnerability map
(:mod:`.corrections`, which reads vector files through :mod:`alliantie.io.vector`).
Imports only pydantic, numpy and the ground floor (io, grid, i18n).
"""
