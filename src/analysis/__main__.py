"""``python -m analysis`` is the same as the ``confessions`` command."""

from analysis.cli import main

raise SystemExit(main())
