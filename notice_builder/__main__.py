"""Allow ``python -m notice_builder``."""

from notice_builder.cli import main

if __name__ == "__main__":
    main()
