"""The API's routes, one module per resource; each route is a short call into the workshop service."""
