"""Accepted risks carry owner, ticket and expiry; an expired one hides nothing (SUP003).

`[[suppress]]` entries and baseline entries take optional `owner`, `ticket` and
`expires` beside the reason. From the day after `expires` the entry no longer hides
its finding and is itself reported once (SUP003), never as unused (SUP001).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from bundle_lint import spec
from conftest import FIXTURES

from s2slint.baseline import generate, load
from s2slint.config import Config, SuppressEntry, load_config
from s2slint.errors import ConfigError, UsageError
from s2slint.findings import Finding, Location, Severity
from s2slint.rule import Evaluated
from s2slint.suppressions import (
    EXPIRED,
    UNUSED,
    apply,
    evaluation_day,
    from_baseline,
    from_config,
)
from s2slint.testing import lint_bundle

FINDING = Finding(
    "PAP001",
    "partner-app-not-full-trust",
    Severity.ERROR,
    'partner application "microsoft.exchange" has ApplicationTrustLevel "Application"',
    Location("lync/partner-applications.xml", 15, 7, "obj[0].ApplicationTrustLevel"),
    key="partner-application:microsoft.exchange",
)


def config_with(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "s2slint.toml"
    path.write_text(body, encoding="utf-8")
    return path


SUPPRESS = """\
[[suppress]]
code = "PAP001"
key = "partner-application:microsoft.exchange"
reason = "Exchange 2013 retires in June"
owner = "j.doe@litwareinc.com"
ticket = "CHG-4711"
expires = {expires}
"""


@pytest.mark.parametrize("written", ["2027-06-30", '"2027-06-30"'])
def test_suppress_entries_take_owner_ticket_and_a_date(tmp_path: Path, written: str) -> None:
    config = load_config(config_with(tmp_path, SUPPRESS.format(expires=written)))
    [entry] = config.suppressions
    assert (entry.owner, entry.ticket, entry.expires) == (
        "j.doe@litwareinc.com",
        "CHG-4711",
        date(2027, 6, 30),
    )


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ('"next June"', "suppress.0.expires: give a date"),
        ('"2027-02-30"', 'expires: "2027-02-30" is not a date'),
        ("12", "suppress.0.expires: 12 is not of type 'string'"),
    ],
)
def test_a_bad_expiry_is_a_configuration_error(tmp_path: Path, written: str, message: str) -> None:
    with pytest.raises(ConfigError, match=r"s2slint\.toml") as error:
        load_config(config_with(tmp_path, SUPPRESS.format(expires=written)))
    assert message in str(error.value)


def test_an_entry_hides_its_finding_up_to_and_including_its_last_day(tmp_path: Path) -> None:
    config = load_config(config_with(tmp_path, SUPPRESS.format(expires="2027-06-30")))
    suppressions = from_config(config, "s2slint.toml", lambda p: p)
    result = apply(
        [FINDING],
        suppressions,
        protected=lambda f: False,
        relevant=lambda s: True,
        now=datetime(2027, 6, 30, 23, 0, tzinfo=UTC),
    )
    assert result.kept == () and result.issues == ()
    [hidden] = result.suppressed
    assert (hidden.owner, hidden.ticket, hidden.expires) == (
        "j.doe@litwareinc.com",
        "CHG-4711",
        "2027-06-30",
    )


def test_an_expired_entry_hides_nothing_and_is_sup003_not_sup001(tmp_path: Path) -> None:
    config = load_config(config_with(tmp_path, SUPPRESS.format(expires="2027-06-30")))
    suppressions = from_config(config, "s2slint.toml", lambda p: p)
    result = apply(
        [FINDING],
        suppressions,
        protected=lambda f: False,
        relevant=lambda s: True,
        now=datetime(2027, 7, 1, tzinfo=UTC),
    )
    assert result.kept == (FINDING,) and result.suppressed == ()
    [(code, issue)] = result.issues
    assert code == EXPIRED != UNUSED
    assert issue.location == Location("s2slint.toml", 1, 1)
    assert issue.message == (
        'suppression of PAP001 for key "partner-application:microsoft.exchange" expired on '
        "2027-06-30 (owner j.doe@litwareinc.com, ticket CHG-4711); its 1 finding is reported "
        "again: fix the finding, or renew the acceptance with a later expires date"
    )
    # With nothing left to hide, it says so.
    quiet = apply(
        [],
        suppressions,
        protected=lambda f: False,
        relevant=lambda s: True,
        now=datetime(2027, 7, 1, tzinfo=UTC),
    )
    assert "it hides nothing any more" in quiet.issues[0][1].message


def test_the_run_date_decides_expiry_not_the_clock() -> None:
    assert evaluation_day(datetime(2030, 5, 6, 23, 30, tzinfo=UTC)) == date(2030, 5, 6)
    assert evaluation_day() == datetime.now(UTC).date()


def baseline_file(tmp_path: Path, **extra: object) -> Path:
    entry = {"code": "PAP001", "key": FINDING.key, "reason": "retiring", **extra}
    path = tmp_path / "baseline.json"
    path.write_text(json.dumps({"s2slint-baseline": 1, "entries": [entry]}), encoding="utf-8")
    return path


def test_baseline_entries_take_owner_ticket_and_expiry_and_keep_them_on_regeneration(
    tmp_path: Path,
) -> None:
    path = baseline_file(tmp_path, owner="j.doe", ticket="RISK-12", expires="2027-01-31")
    baseline = load(path, tmp_path)
    [entry] = baseline.entries
    assert (entry.owner, entry.ticket, entry.expires) == ("j.doe", "RISK-12", date(2027, 1, 31))
    regenerated = json.loads(generate([FINDING], baseline).text)["entries"][0]
    assert regenerated["owner"] == "j.doe" and regenerated["expires"] == "2027-01-31"
    assert regenerated["reason"] == "retiring" and regenerated["ticket"] == "RISK-12"
    late = apply(
        [FINDING],
        from_baseline(baseline),
        protected=lambda f: False,
        relevant=lambda s: True,
        now=datetime(2027, 2, 1, tzinfo=UTC),
    )
    assert late.kept == (FINDING,) and late.issues[0][0] == EXPIRED
    assert "expired on 2027-01-31 (owner j.doe, ticket RISK-12)" in late.issues[0][1].message


def test_a_baseline_expiry_that_is_not_a_date_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="baseline entry 1: expires must be a date"):
        load(baseline_file(tmp_path, expires="soon"), tmp_path)


def test_the_command_line_judges_expiry_on_the_as_of_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from exports import run

    monkeypatch.chdir(tmp_path)
    path = baseline_file(tmp_path, expires="2026-11-20")
    bundle = str(FIXTURES / "example")
    code, out, _ = run(
        capsys,
        "check",
        bundle,
        "--baseline",
        str(path),
        "--as-of",
        "2026-11-20",
        "--output-format",
        "concise",
    )
    assert "PAP001" not in out
    code, out, _ = run(
        capsys,
        "check",
        bundle,
        "--baseline",
        str(path),
        "--as-of",
        "2026-11-21",
        "--output-format",
        "concise",
    )
    assert "PAP001" in out and code == 1
    [expired] = [line for line in out.splitlines() if " SUP003 " in line]
    assert expired.startswith(f"{path.name}:1:") or expired.startswith(f"{path}:")
    assert "expired on 2026-11-20" in expired and "reported again" in expired
    assert " SUP001 " not in out


def test_the_engine_judges_expiry_on_its_evaluation_date(tmp_path: Path) -> None:
    """Without the command line: `lint` alone hands its date to the suppressions."""
    bundle = spec(partner_trust_levels=(("microsoft.exchange", "Application"),))(tmp_path)
    entry = SuppressEntry(
        code="PAP001",
        reason="retiring the old Exchange",
        key="partner-application:microsoft.exchange",
        expires=date(2026, 6, 30),
    )
    config = Config(root=bundle, suppressions=(entry,))
    before = lint_bundle(bundle, as_of=datetime(2026, 6, 30, 12, tzinfo=UTC), config=config)
    assert [f.code for f in before.findings if f.code in ("PAP001", "SUP003")] == []
    assert before.coverage["SUP003"] == Evaluated((), 1)
    after = lint_bundle(bundle, as_of=datetime(2026, 7, 1, tzinfo=UTC), config=config)
    codes = sorted(f.code for f in after.findings if f.code in ("PAP001", "SUP003"))
    assert codes == ["PAP001", "SUP003"]
