"""`python -m collab` runs the command line."""

from collab.cli import main

main()
