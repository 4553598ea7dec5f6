"""`python -m marse_oscal` runs the CLI."""

from marse_oscal.cli import main

main()
