"""Rule documentation: complete for every rule, and docs/rules.md generated from it."""

from __future__ import annotations

import pytest
from conftest import ROOT

from s2slint.plugins import load_registry
from s2slint.ruledoc import render_all, render_rule

RULES = load_registry(entry_points=False).rules


def test_docs_page_is_generated_from_the_rules_not_written_twice() -> None:
    page = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert page == render_all(RULES), (
        "docs/rules.md is stale: run `s2slint rule --all > docs/rules.md`"
    )


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_every_rule_documents_what_why_and_evidence(rule: object) -> None:
    from s2slint.rule import Rule

    assert isinstance(rule, Rule)
    text = render_rule(rule)
    for heading in ("## What it does", "## Why it matters", "## Options"):
        assert heading in text
    assert len(rule.doc.what) > 80 and len(rule.doc.why) > 80
    assert rule.evidence
    if rule.check is not None:
        # Checking rules also show a bad and a good example, the fix, and sources.
        assert "## Example" in text and "Use instead:" in text
        assert "## Fix" in text and "```powershell" in text
        assert rule.doc.references and all(u.startswith("https://") for u in rule.doc.references)


def test_options_are_documented_with_their_defaults() -> None:
    weak_key = next(r for r in RULES if r.code == "CRT003")
    text = render_rule(weak_key)
    assert "- `min-key-bits` (default `2048`)" in text
    assert "[tool.s2slint.rules.CRT003]\nmin-key-bits = 2048" in text
