"""Bundles the PAP rule tests share: the healthy litwareinc bundle, changed or cut down.

Importable from the test modules beside it (pytest puts their folder on the path).
"""

from __future__ import annotations

from pathlib import Path

from bundle_lint import spec

from s2slint.testing import BundleWriter

LYNC_APPS = "lync/partner-applications.xml"
EXCHANGE_APPS = "exchange/partner-applications.xml"
EXCHANGE_ID = "00000002-0000-0ff1-ce00-000000000000"
SHAREPOINT_ID = "00000003-0000-0ff1-ce00-000000000000"
LYNC_ID = "00000004-0000-0ff1-ce00-000000000000"
SHAREPOINT_ONLY = (("microsoft.sharepoint", "Full"),)
"""Lync trusts SharePoint only (`partner_trust_levels`)."""


def without(*paths: str, **changes: object) -> BundleWriter:
    """Return a writer of the healthy bundle changed by `changes`, with the exports at `paths` removed."""
    base = spec(**changes)

    def write(tmp_path: Path) -> Path:
        bundle = base(tmp_path)
        for path in paths:
            (bundle / path).unlink()
        return bundle

    return write


NO_PARTNER_EXPORTS = without(LYNC_APPS, EXCHANGE_APPS)
"""Neither side's partner applications were exported."""
