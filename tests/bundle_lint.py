"""Lint a generated bundle in-process and look at what one rule said."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import fixturegen

from s2slint.config import Config
from s2slint.engine import lint
from s2slint.findings import Finding
from s2slint.plugins import load_registry
from s2slint.registry import Registry
from s2slint.results import RunResult
from s2slint.rule import Evaluated, NotEvaluated
from s2slint.testing import BundleWriter

AS_OF = datetime(2026, 11, 21, tzinfo=UTC)
_REGISTRY: Registry | None = None


def registry() -> Registry:
    """Return the built-in registry (loaded once; entry points are not consulted)."""
    global _REGISTRY
    if _REGISTRY is None:
        _REGISTRY = load_registry(entry_points=False)
    return _REGISTRY


def write_spec(root: Path, **changes: object) -> Path:
    """Write, at `root`, the healthy bundle changed by `changes`; return `root`."""
    spec = replace(fixturegen.BundleSpec(), **changes)  # type: ignore[arg-type]
    fixturegen.write_bundle(spec, root)
    return root


XML_AUTODISCOVER = "https://autodiscover.litwareinc.com/autodiscover/autodiscover.xml"
"""An `ExchangeAutodiscoverUrl` ending in autodiscover.xml: a bundle with one finding (OAU001)."""


def lint_spec(tmp_path: Path, config: Config | None = None, **changes: object) -> RunResult:
    """Write a bundle that differs from the healthy one by `changes`, and lint it."""
    return lint_path(write_spec(tmp_path / "bundle", **changes), config)


def lint_path(bundle: Path, config: Config | None = None) -> RunResult:
    """Lint a bundle folder with the built-in rules as of the fixed date."""
    return lint([bundle], registry(), config or Config(root=bundle), AS_OF, cwd=bundle)


def findings(result: RunResult, code: str) -> list[Finding]:
    """Return the findings of one rule."""
    return [f for f in result.findings if f.code == code]


def outcome(result: RunResult, code: str) -> Evaluated | NotEvaluated:
    """Return whether (and on how many objects) a rule was evaluated."""
    return result.coverage[code]


def spec(**changes: object) -> BundleWriter:
    """Return a bundle writer for `s2slint.testing.Case`: the healthy bundle changed by `changes`."""

    def write(tmp_path: Path) -> Path:
        bundle = tmp_path / "bundle"
        fixturegen.write_bundle(replace(fixturegen.BundleSpec(), **changes), bundle)  # type: ignore[arg-type]
        return bundle

    return write


def without(writer: BundleWriter, *paths: str) -> BundleWriter:
    """Return a bundle writer that writes `writer`'s bundle, then deletes `paths` from it.

    For cases where an export was not collected at all (the rule is then not evaluated).
    """

    def write(tmp_path: Path) -> Path:
        bundle = writer(tmp_path)
        for path in paths:
            (bundle / path).unlink()
        return bundle

    return write


def appended(writer: BundleWriter, path: str, text: str) -> BundleWriter:
    """Return a bundle writer that writes `writer`'s bundle, then appends `text` to `path`.

    The text is written in ASCII, as `dnscmd /ZoneExport` writes zone files.
    """

    def write(tmp_path: Path) -> Path:
        bundle = writer(tmp_path)
        target = bundle / path
        target.write_bytes(target.read_bytes() + text.encode("ascii"))
        return bundle

    return write


def sharepoint_spec(**changes: object) -> BundleWriter:
    """Return a bundle writer for the SharePoint-integrated healthy bundle changed by `changes`.

    Every export s2slint reads is there (the SharePoint farm's, Get-HybridConfiguration,
    Exchange's copy of Lync's OAuth certificate), so a case shows only its own finding.
    """

    def write(tmp_path: Path) -> Path:
        bundle = tmp_path / "bundle"
        base = fixturegen.SHAREPOINT_INTEGRATED
        fixturegen.write_bundle(replace(base, **changes), bundle)  # type: ignore[arg-type]
        return bundle

    return write
