"""collab: inspection findings, clues and the cases they become, kept as one graph."""

__version__ = "0.1.0"
