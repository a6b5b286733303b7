"""Allow `python -m s2slint`."""

from __future__ import annotations

import gc
import sys

# The cycle collector is off for the whole process (see `console`); switched off
# before the command line's modules are imported, it does not walk them either.
gc.disable()

from s2slint.cli import console  # noqa: E402

sys.exit(console())
