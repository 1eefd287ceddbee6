"""Step 4, *Inspiratiekaarten*: the inspiration maps *Veerkracht* and *Regionale economie*, and the
*Gebied stuurt* perspective, from the workshop's sketches and, where nobody sketched, the guide model's
best-suited places."""
