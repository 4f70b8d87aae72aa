"""Case screens (being written)."""
