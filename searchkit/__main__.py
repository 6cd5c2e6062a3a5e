"""Run the command-line interface: ``python -m searchkit``."""

from searchkit.cli import main

if __name__ == "__main__":
    main()
