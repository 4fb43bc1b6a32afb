"""`python -m hamfoot …` is the `hamfoot` command (hamfoot/cli.py)."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
