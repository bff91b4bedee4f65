"""``python -m cxtext`` runs the command line."""

from cxtext.cli import main

main()
