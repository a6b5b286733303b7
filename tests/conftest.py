"""Shared test helpers: where the genuine samples and fixtures live, and a Source builder."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from s2slint.loaders.base import Source

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SAMPLES = ROOT.parent / "shared" / "samples" / "real"

# The fixture generator lives beside the tests; make it importable as `fixturegen`.
sys.path.insert(0, str(Path(__file__).resolve().parent))


def make_source(
    text: str | bytes, display: str = "lync/export.xml", encoding: str = "utf-8"
) -> Source:
    """Build a Source from text (encoded as asked) or raw bytes."""
    data = text if isinstance(text, bytes) else text.encode(encoding)
    folders = tuple(display.split("/")[:-1])
    return Source(path=Path(display), display=display, data=data, folders=folders)


@pytest.fixture
def samples() -> Path:
    """Return the folder of genuine public exports, skipping when it is absent."""
    if not SAMPLES.is_dir():
        pytest.skip("../shared/samples/real is not present")
    return SAMPLES


@pytest.fixture
def flawed_bundle(tmp_path: Path) -> Path:
    """A generated bundle with findings of several rules (an autodiscover.xml URL, a
    Front End whose OAuth certificate differs), for runs compared with and without caches."""
    from dataclasses import replace

    import fixturegen

    spec = replace(
        fixturegen.BundleSpec(),
        exchange_autodiscover_url="https://autodiscover.litwareinc.com/autodiscover/autodiscover.xml",
        odd_front_end="atl-fe-03.litwareinc.com",
    )
    root = tmp_path / "bundle"
    fixturegen.write_bundle(spec, root)
    return root


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add `--update-golden` to rewrite the golden outputs (review the diff like a snapshot)."""
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/*")
