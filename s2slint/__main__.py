"""Allow `python -m s2slint`."""

from __future__ import annotations

import sys

from s2slint.cli import console

sys.exit(console())
