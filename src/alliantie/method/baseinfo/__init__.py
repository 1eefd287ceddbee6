"""Step 2 of the method, *Basisinformatie* (base information).

Base maps for soil, water and green, the landscape type per place, the
*analysewijzer*, the structure-carrier map and the *lagenkaart*. Importing this
package registers the products.
"""

from alliantie.method.baseinfo import products  # noqa: F401  (declares the products)
