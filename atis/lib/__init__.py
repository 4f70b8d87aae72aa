"""Plain helpers shared by every domain app (not an app: no models, no URLs)."""
