"""``strategy.meekoppelen``: climate adaptation coupled to planned works (the projects' timeline and map)."""
