"""The bundle manifest: what content cannot say, said in the configuration."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import fixturegen
import pytest
from bundle_lint import AS_OF, findings, outcome

from s2slint.config import load_config
from s2slint.engine import lint
from s2slint.plugins import load_registry
from s2slint.rule import Evaluated, NotEvaluated

REGISTRY = load_registry(entry_points=False)


def _lint(project: Path, manifest: str) -> object:
    (project / "s2slint.toml").write_text(manifest, encoding="utf-8")
    config = load_config(project / "s2slint.toml")
    return lint([project / "bundle"], REGISTRY, config, AS_OF, cwd=project)


def _flatten_server_folders(bundle: Path) -> None:
    """Move each per-server export out of its server-named folder, as some admins keep them."""
    servers = bundle / "servers"
    for folder in sorted(servers.iterdir()):
        shutil.move(folder / "certificates.xml", servers / f"{folder.name.split('.')[0]}.xml")
        folder.rmdir()


def test_manifest_names_the_server_of_an_export_content_cannot_attribute(tmp_path: Path) -> None:
    spec = replace(
        fixturegen.BundleSpec(),
        odd_front_end="atl-fe-03.litwareinc.com",
        servers_without_computer_name=("atl-fe-03.litwareinc.com",),
    )
    fixturegen.write_bundle(spec, tmp_path / "bundle")
    _flatten_server_folders(tmp_path / "bundle")
    # Without the manifest, atl-fe-03's export belongs to no server: its odd certificate is unseen.
    without = _lint(tmp_path, "")
    assert findings(without, "CRT002") == []  # type: ignore[arg-type]
    result = _lint(
        tmp_path,
        '[[bundle]]\npath = "bundle/servers/atl-fe-03.xml"\nserver = "atl-fe-03.litwareinc.com"\n',
    )
    (finding,) = findings(result, "CRT002")  # type: ignore[arg-type]
    assert finding.location.path == "bundle/servers/atl-fe-03.xml"
    assert 'atl-fe-03.litwareinc.com "18C1' in finding.message
    state = outcome(result, "CRT002")  # type: ignore[arg-type]
    assert isinstance(state, Evaluated) and state.checked == 3


def test_manifest_names_the_password_variable_of_one_pfx(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = replace(fixturegen.BundleSpec(), include_oauth_cer=False, include_oauth_pfx=True)
    fixturegen.write_bundle(spec, tmp_path / "bundle")
    monkeypatch.delenv("S2SLINT_PFX_PASSWORD", raising=False)
    monkeypatch.setenv("LITWARE_OAUTH_PFX", fixturegen.PFX_PASSWORD)
    locked = _lint(tmp_path, "")
    assert [f.location.path for f in findings(locked, "INP003")] == [  # type: ignore[arg-type]
        "bundle/certs/oauth-token-issuer.pfx"
    ]
    opened = _lint(
        tmp_path,
        '[[bundle]]\npath = "bundle/certs/*.pfx"\npfx-password-env = "LITWARE_OAUTH_PFX"\n',
    )
    assert findings(opened, "INP003") == []  # type: ignore[arg-type]
    assert not isinstance(outcome(opened, "CRT003"), NotEvaluated)  # type: ignore[arg-type]


def test_manifest_variable_that_is_not_set_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = replace(fixturegen.BundleSpec(), include_oauth_cer=False, include_oauth_pfx=True)
    fixturegen.write_bundle(spec, tmp_path / "bundle")
    monkeypatch.delenv("NOT_SET_ANYWHERE", raising=False)
    result = _lint(
        tmp_path, '[[bundle]]\npath = "bundle/certs/*"\npfx-password-env = "NOT_SET_ANYWHERE"\n'
    )
    (finding,) = findings(result, "INP003")  # type: ignore[arg-type]
    assert "NOT_SET_ANYWHERE" in finding.message


def test_manifest_entries_are_validated(tmp_path: Path) -> None:
    from s2slint.errors import ConfigError

    (tmp_path / "s2slint.toml").write_text('[[bundle]]\npath = "x"\n', encoding="utf-8")
    with pytest.raises(ConfigError):
        load_config(tmp_path / "s2slint.toml")
