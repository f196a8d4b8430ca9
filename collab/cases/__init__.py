"""Domain services: pure Python over the store port (no driver, no web)."""
