"""`python -m ceo_desk` runs the same entry point as the `ceo-desk` command."""

from ceo_desk.cli import main

raise SystemExit(main())
