"""``python -m negotiations``: the same as the ``negotiations`` command."""

import sys

from negotiations.cli import main

sys.exit(main())
