"""``python -m gantheory`` runs the command line."""

import sys

from gantheory.cli import main

sys.exit(main())
