"""``python -m zhfix``: the same as the ``zhfix`` command."""
from .cli.command import main

if __name__ == "__main__":
    main()
