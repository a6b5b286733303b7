"""The audit report's view of the SharePoint half and of missing evidence."""

from __future__ import annotations

from pathlib import Path

import lxml.html
from bundle_lint import sharepoint_spec, spec

from s2slint.controls import Status, evaluate, load_controls
from s2slint.reporters.base import ReportOptions
from s2slint.reporters.html import render_html
from s2slint.testing import lint_bundle


def test_the_deployment_shows_sharepoint_issuers_and_token_service(tmp_path: Path) -> None:
    result = lint_bundle(sharepoint_spec(sharepoint_allow_oauth_over_http=True)(tmp_path))
    page = lxml.html.fromstring(render_html(result, ReportOptions()))
    deployment = page.get_element_by_id("deployment").text_content()
    for expected in (
        "SharePoint trusted token issuers",
        "Skype for Business Server",
        "00000004-0000-0ff1-ce00-000000000000@litwareinc.com",
        "https://atl-cs-001.litwareinc.com/metadata/json/1",
        "7054C1277959708FAB91422CFE5982E3C7AE81CB",
        "SharePoint security token service",
        "00000003-0000-0ff1-ce00-000000000000@5b1f2e9c-7d4a-4c61-8f3e-2a9d0c6b71e4",
        "2035-03-10 (3031 days left)",
    ):
        assert expected in deployment, expected
    rows = {
        row.xpath("./td")[0].text_content(): row.xpath("./td")[1].text_content()
        for row in page.xpath("//tr[td]")
        if row.xpath("./td")[0].text_content() in ("AllowOAuthOverHttp", "AllowMetadataOverHttp")
    }
    assert rows == {"AllowOAuthOverHttp": "yes", "AllowMetadataOverHttp": "no"}


def test_the_evidence_control_fails_on_a_partial_bundle(tmp_path: Path) -> None:
    controls = load_controls()
    partial = {
        v.control.id: v.status for v in evaluate(controls, lint_bundle(spec()(tmp_path / "a")))
    }
    assert partial["S2S-01"] == Status.FAILED  # INP006: SharePoint and hybrid exports missing
    assert partial["S2S-17"] == Status.NOT_EVALUATED
    complete = lint_bundle(sharepoint_spec()(tmp_path / "b"))
    statuses = {v.control.id: v.status for v in evaluate(controls, complete)}
    assert statuses["S2S-01"] == Status.PASSED
    assert statuses["S2S-17"] == Status.PASSED
    without_sharepoint = lint_bundle(
        spec(partner_trust_levels=(("microsoft.exchange", "Full"),), exchange_hybrid=False)(
            tmp_path / "c"
        )
    )
    statuses = {v.control.id: v.status for v in evaluate(controls, without_sharepoint)}
    assert statuses["S2S-17"] == Status.NOT_APPLICABLE
    assert statuses["S2S-01"] == Status.PASSED  # nothing the deployment has is missing
