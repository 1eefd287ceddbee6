"""Step 5, *Strategie*: *meekoppelen* with planned works, the business case per party and place, and the
strategy document (Urgency, Policy, Implementation). The executable *afwegingskader* lives here too."""
