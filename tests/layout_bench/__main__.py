"""``python -m tests.layout_bench``: print the per-layout scores (see run.py)."""

import sys

from .run import main

sys.exit(main())
