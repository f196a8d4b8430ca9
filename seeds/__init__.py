"""Seed scenarios: the Yunnan demo drawn from the source article, and (later) generators."""
