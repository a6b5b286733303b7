"""Shared Hypothesis settings for the property tests.

Reproducible by default (derandomised, no example database, nothing written into the
working tree); `S2SLINT_PROPERTY_EXAMPLES=N` explores N random examples per test instead.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, Phase, settings

EXPLORE = int(os.environ.get("S2SLINT_PROPERTY_EXAMPLES", "0"))

# When an example fails, Hypothesis's pytest plugin imports libcst (if installed) to
# suggest a patch, and libcst trips a DeprecationWarning that `filterwarnings = error`
# would turn into an INTERNALERROR hiding the real failure. Test modules set
# `pytestmark = QUIET_PATCH_SUGGESTIONS`.
QUIET_PATCH_SUGGESTIONS = pytest.mark.filterwarnings(
    "ignore:mypy_extensions.TypedDict is deprecated:DeprecationWarning"
)


def property_settings(examples: int) -> settings:
    """Return modest, reproducible settings (or exploring ones when asked)."""
    return settings(
        max_examples=EXPLORE or examples,
        derandomize=not EXPLORE,
        database=None,
        # No "explain" phase: it writes patch files into the working tree.
        phases=(Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
