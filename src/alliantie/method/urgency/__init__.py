"""Step 1 of the method, *Urgentie* (urgency): the climate effects that make action urgent.

Today: pluvial flooding (*wateroverlast*) after standard cloudbursts, in
today's climate and a 2050 scenario, as bluespots, water depths, flow paths,
affected buildings and roads, and counts per neighbourhood. Importing this
package registers the products.
"""

from alliantie.method.urgency import products  # noqa: F401  (declares the products)
