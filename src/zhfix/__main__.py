"""``python -m zhfix``: the same as the ``zhfix`` command."""
from .cli import main

if __name__ == "__main__":
    main()
