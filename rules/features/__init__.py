"""FEA: Lync features that only work with server-to-server authentication to Exchange.

Both rules are one judgement over two kinds of setting (`_common.feature_without_s2s`):
a setting that turns the feature on, reported while server-to-server authentication
with Exchange is not fully configured (`_common.s2s_gaps`).
"""

from __future__ import annotations

from . import exchange_archiving_without_s2s, ucs_without_s2s

RULES = (
    ucs_without_s2s.RULE,
    exchange_archiving_without_s2s.RULE,
)
