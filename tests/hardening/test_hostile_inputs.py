"""The battery: every hostile input gives its exact finding, and nothing else is lost.

Each case is linted in a subprocess next to a good export (its OAU001 must still be
reported), under a timeout that catches a hang, with the PFX password set to a canary
that must never show. The last tests put every hostile file into one realistic bundle
and check every registered output format: findings complete, no canary, and the same
bytes on a second run.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import fixturegen
import pytest
from bundle_lint import registry
from hostile import (
    CANARY_PASSWORD,
    CANARY_SECRET,
    GOOD_FILE,
    HOSTILE_CASES,
    Case,
    assert_no_canary,
    make_outside,
    pfx,
    run_check,
    write_good_bundle,
)


@pytest.fixture(scope="module")
def outside(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder outside every bundle whose secret the hostile inputs reach for."""
    return make_outside(tmp_path_factory.mktemp("outside"))


@pytest.mark.parametrize("case", HOSTILE_CASES, ids=[case.name for case in HOSTILE_CASES])
def test_hostile_file_gives_its_finding_and_hides_nothing(
    case: Case, tmp_path: Path, outside: Path
) -> None:
    bundle = tmp_path / "bundle"
    write_good_bundle(bundle)
    hostile = bundle / case.path
    hostile.parent.mkdir(parents=True, exist_ok=True)
    hostile.write_bytes(case.build(outside))

    run = run_check(tmp_path, "bundle")

    shown = f"bundle/{case.path}"
    input_codes = {code for code in run.codes(shown) if code.startswith("INP")}
    assert input_codes == {case.code}, run.at(shown)
    expected = [f for f in run.at(shown) if f["code"] == case.code]
    assert any(case.message in str(f["message"]) for f in expected), expected
    if case.line is not None:
        assert case.line in [f["line"] for f in expected], expected
    assert "INP005" not in [f["code"] for f in run.findings]
    assert run.codes(f"bundle/{GOOD_FILE}") == ["OAU001"]
    assert_no_canary(run.stdout, run.stderr)


def test_the_secret_canary_would_be_seen_if_it_leaked(tmp_path: Path, outside: Path) -> None:
    # The canary check must be able to fail: a zone file whose stray token is the
    # secret quotes it in its INP001 (the file's own content, rightly shown).
    bundle = tmp_path / "bundle"
    write_good_bundle(bundle)
    zone = "$ORIGIN litwareinc.com.\n@ IN SOA ns1 h 1 2 3 4 5\nwww IN A 10.0.0.1 " + CANARY_SECRET
    (bundle / "leak.dns").write_text(zone + "\n", encoding="utf-8")
    run = run_check(tmp_path, "bundle")
    with pytest.raises(AssertionError):
        assert_no_canary(run.stdout)


def _everything(root: Path, outside: Path) -> Path:
    """Write a realistic bundle (with an OAU001) plus every hostile file; return it."""
    bundle = root / "bundle"
    spec = replace(
        fixturegen.BundleSpec(),
        exchange_autodiscover_url="https://autodiscover.litwareinc.com/autodiscover/autodiscover.xml",
        include_oauth_pfx=True,
    )
    fixturegen.write_bundle(spec, bundle)
    for case in HOSTILE_CASES:
        path = bundle / "hostile" / case.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(case.build(outside))
    (bundle / "hostile" / "other.pfx").write_bytes(pfx("not-the-canary"))
    return bundle


@pytest.fixture(scope="module")
def everything(tmp_path_factory: pytest.TempPathFactory, outside: Path) -> Path:
    """One working folder holding the bundle of every hostile file."""
    root = tmp_path_factory.mktemp("everything")
    _everything(root, outside)
    return root


def test_one_bundle_of_every_hostile_file_reports_each_and_the_real_findings(
    everything: Path,
) -> None:
    run = run_check(everything, "bundle")
    for case in HOSTILE_CASES:
        assert case.code in run.codes(f"bundle/hostile/{case.path}"), case.name
    # The realistic bundle's own findings are all there: its OAU001, and its PFX
    # (whose password is not the canary) is INP003 like the foreign one.
    assert run.codes("bundle/lync/oauth-configuration.xml") == ["OAU001"]
    assert "INP003" in run.codes("bundle/certs/oauth-token-issuer.pfx")
    assert "INP003" in run.codes("bundle/hostile/other.pfx")
    assert "INP005" not in [f["code"] for f in run.findings]
    assert_no_canary(run.stdout, run.stderr)


def test_every_output_format_is_complete_leak_free_and_byte_identical(everything: Path) -> None:
    formats = sorted(registry().reporters)
    outputs: list[dict[str, bytes]] = []
    for attempt in ("first", "second"):
        folder = everything / attempt
        folder.mkdir()
        targets = [f"--output={name}={folder / name}" for name in formats]
        run = run_check(everything, "bundle", *targets)
        assert_no_canary(run.stdout, run.stderr)
        outputs.append({name: (folder / name).read_bytes() for name in formats})
    first, second = outputs
    for name in formats:
        text = first[name].decode("utf-8", errors="replace")
        assert first[name] == second[name], f"{name} differs between two runs"
        assert_no_canary(text)
        assert "PRIVATE KEY" not in text, name
    report = json.loads(first["json"])
    assert any(f["code"] == "OAU001" for f in report["findings"])


def test_debug_log_never_shows_the_password(everything: Path) -> None:
    # S2SLINT_DEBUG=1 logs the traceback of every contained failure: still no secret.
    run = run_check(everything, "bundle", output_format="full", env={"S2SLINT_DEBUG": "1"})
    assert_no_canary(run.stdout, run.stderr)
    assert "OAU001" in run.stdout
    assert CANARY_PASSWORD not in run.stderr and CANARY_SECRET not in run.stderr


def test_private_keys_opened_never_reach_any_output_format(tmp_path: Path) -> None:
    # The keys are read (right password, unencrypted PEM) and compared with their
    # certificates; no line of them, nor the private exponent, shows anywhere.
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12

    bundle = tmp_path / "bundle"
    write_good_bundle(bundle)
    container = pfx(CANARY_PASSWORD)
    key, cert, _ = pkcs12.load_key_and_certificates(container, CANARY_PASSWORD.encode())
    assert key is not None and cert is not None
    (bundle / "certs").mkdir()
    (bundle / "certs" / "oauth.pfx").write_bytes(container)
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    unencrypted = rsa_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    (bundle / "certs" / "key-and-cert.pem").write_text(
        cert.public_bytes(serialization.Encoding.PEM).decode() + unencrypted
    )
    secrets = [line for line in unencrypted.splitlines() if "PRIVATE KEY" not in line]
    exponent = format(rsa_key.private_numbers().d, "x")
    secrets += [exponent, exponent.upper(), str(rsa_key.private_numbers().d)]

    formats = sorted(registry().reporters)
    targets = [f"--output={name}={tmp_path / name}" for name in formats]
    run = run_check(tmp_path, "bundle", *targets)
    assert "INP003" not in run.codes("bundle/certs/oauth.pfx")  # the canary opened it
    outputs = [run.stdout, run.stderr] + [(tmp_path / n).read_text("utf-8") for n in formats]
    for output in outputs:
        assert_no_canary(output)
        assert "PRIVATE KEY" not in output
        assert not [secret for secret in secrets if secret in output]
