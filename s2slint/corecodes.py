"""The codes of the core's own rules (INP and SUP), for the modules that report them.

`s2slint.diagnostics` defines the rules themselves and registers them through pluggy;
the suppression stage only needs their codes, and a run served from the cache reads
suppressions without registering any plugin (nor importing pluggy).
"""

from __future__ import annotations

PARSE_ERROR = "INP001"
"""A file s2slint recognised but could not read."""
UNRECOGNIZED_INPUT = "INP002"
"""A file that looks like an export of no kind s2slint reads, an empty file, or what is
not a regular file. What is not an export at all is listed as skipped, not reported."""
PFX_UNREADABLE = "INP003"
"""A PFX that needs a password that was not supplied or is wrong."""
UNSAFE_INPUT = "INP004"
"""Input refused for safety (DTD, $INCLUDE, limits)."""
INTERNAL_ERROR = "INP005"
"""A rule or loader raised; the run went on."""
EVIDENCE_MISSING = "INP006"
"""A selected rule is not evaluated because an export it needs is absent."""
UNUSED_SUPPRESSION = "SUP001"
"""A suppression or baseline entry that matched no finding."""
SUPPRESSION_WITHOUT_REASON = "SUP002"
"""An inline suppression without a reason."""
SUPPRESSION_EXPIRED = "SUP003"
"""A suppression or baseline entry past its `expires` date: it hides nothing any more."""
