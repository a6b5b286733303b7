"""Issue 15, item 4: CLIXML `Ref`s cannot multiply a small file into gigabytes.

One partner application with a 20,000-character name and 5,000 `<Ref>`s to it (a
147 KB file) made PAP004 list the name 5,001 times (a 100 MB message) and PAP009 report
10,000 duplicates (1 GB of memory). A referenced object is now counted once, at the
top level as in a list, and `s2slint.messages` bounds what a message lists.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from exports import SSAUTH, oauth_xml
from round2 import AS_OF, assert_cache_neutral, environment, write_files

from s2slint.messages import bounded_list, clip

NAME = "A" * 20_000
OBJS = '<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">\n'


def partner_app(ref_id: int = 0) -> str:
    """A Lync partner application that is not Exchange's (so PAP004 lists the names)."""
    return (
        f'<Obj RefId="{ref_id}"><TN RefId="0"><T>{SSAUTH}.PartnerApplication</T>'
        f"<T>System.Object</T></TN><ToString>{NAME}</ToString><Props>"
        f'<S N="Identity">{NAME}</S>'
        '<S N="ApplicationIdentifier">11111111-0000-0ff1-ce00-000000000000</S>'
        '<S N="ApplicationTrustLevel">Full</S><B N="Enabled">true</B></Props></Obj>\n'
    )


def top_level_refs(count: int) -> str:
    """The object once, then `count` references to it beside it."""
    return OBJS + partner_app() + '<Ref RefId="0" />\n' * count + "</Objs>\n"


def listed_refs(count: int) -> str:
    """A certificate entry whose AlternativeNames list refers `count` times to one object."""
    names = '<Obj RefId="1"><TN RefId="1"><T>System.Object</T></TN>'
    names += f"<ToString>{NAME}.litwareinc.com</ToString></Obj>"
    return (
        OBJS + '<Obj RefId="0"><TN RefId="0"><T>Microsoft.Rtc.Management.Deployment.'
        "CertificateReference</T></TN><Props>"
        '<S N="Thumbprint">1A2B3C4D5E6F708192A3B4C5D6E7F8091A2B3C4D</S>'
        '<S N="Use">OAuthTokenIssuer</S>'
        f'<Obj N="AlternativeNames" RefId="2"><LST>{names}'
        + '<Ref RefId="1" />'
        * count
        + "</LST></Obj></Props>"
        '<MS><S N="PSComputerName">atl-fe-01.litwareinc.com</S></MS></Obj>\n</Objs>\n'
    )


def measured_run(cwd: Path) -> tuple[dict[str, object], int, int]:
    """Lint `cwd` as JSON in a fresh process; return the report, its size and peak RSS (KiB)."""
    probe = (
        "import resource, sys\n"
        "from s2slint.cli import main\n"
        f"code = main(['check', '.', '--isolated', '--no-cache', '--as-of', {AS_OF!r},"
        " '--output-format', 'json'])\n"
        "sys.stdout.flush()\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
    )
    process = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=cwd,
        env=environment(),
        capture_output=True,
        check=False,
        timeout=300,
    )
    assert b"Traceback" not in process.stderr, process.stderr[-2000:]
    peak = int(process.stderr.decode().strip().splitlines()[-1])
    return json.loads(process.stdout), len(process.stdout), peak


def _baseline_rss(tmp_path: Path) -> int:
    small = write_files(tmp_path / "small", {"lync/oauth.xml": oauth_xml()})
    return measured_run(small)[2]


def test_refs_to_one_object_count_it_once(tmp_path: Path) -> None:
    bundle = write_files(
        tmp_path / "bundle",
        {"lync/oauth.xml": oauth_xml(), "lync/partner-applications.xml": top_level_refs(5_000)},
    )
    assert (bundle / "lync" / "partner-applications.xml").stat().st_size < 150_000
    report, size, peak = measured_run(bundle)
    codes = [f["code"] for f in report["findings"]]  # type: ignore[index]
    assert "PAP004" in codes and "PAP009" not in codes  # one application, no duplicates
    assert size < 200_000  # was 100 MB
    assert peak < _baseline_rss(tmp_path) + 100_000  # KiB; was about 1 GB more


def test_refs_in_a_list_count_the_object_once(tmp_path: Path) -> None:
    from s2slint.loaders.base import LoadContext, Source
    from s2slint.loaders.powershell import load_clixml
    from s2slint.model import CsCertificate

    data = listed_refs(20_000).encode()
    result = load_clixml(Source(Path("c.xml"), "c.xml", data), LoadContext())
    (entry,) = [r for r in result.records if isinstance(r, CsCertificate)]
    assert entry.alternative_names == (f"{NAME}.litwareinc.com",)


def test_memory_stays_proportional_to_the_input(tmp_path: Path) -> None:
    # Six times the references (an 882 KB file reached 8 GB): no more memory than the
    # file's own size would explain.
    bundle = write_files(
        tmp_path / "bundle",
        {"lync/oauth.xml": oauth_xml(), "lync/partner-applications.xml": top_level_refs(30_000)},
    )
    _, size, peak = measured_run(bundle)
    assert size < 200_000
    assert peak < _baseline_rss(tmp_path) + 100_000


def test_amplified_bundles_print_the_same_with_and_without_the_cache(tmp_path: Path) -> None:
    bundle = write_files(
        tmp_path / "bundle",
        {"lync/oauth.xml": oauth_xml(), "lync/partner-applications.xml": top_level_refs(500)},
    )
    assert_cache_neutral(bundle, tmp_path / "cache", ".", "--output-format", "full")


# ------------------------------------------------------------- s2slint.messages


def test_bounded_list_shows_the_first_items_and_counts_the_rest() -> None:
    assert bounded_list([]) == ""
    assert bounded_list(["a"]) == "a"
    assert bounded_list(["a", "b", "c"], 3) == "a, b, c"
    assert bounded_list(["a", "b", "c"], 2) == "a, b, \u2026 and 1 more"
    many = bounded_list(f"host{i}" for i in range(5_000))
    assert many.startswith("host0, host1,") and many.endswith("\u2026 and 4,990 more")
    assert many.count(",") == 10 + 1  # ten items, the thousands separator of 4,990
    with pytest.raises(ValueError):
        bounded_list(["a"], 0)


def test_bounded_list_keeps_only_what_it_shows() -> None:
    def huge() -> object:
        for _ in range(100_000):
            yield "x" * 10_000  # a gigabyte if they were all kept

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    text = bounded_list(huge())  # type: ignore[arg-type]
    assert len(text) < 110_000 and text.endswith("and 99,990 more")
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100_000


def test_clip_cuts_long_values_and_says_how_long() -> None:
    assert clip("short") == "short"
    assert clip("x" * 200) == "x" * 200
    assert clip("x" * 5_000, 10) == "xxxxxxxxxx\u2026 (5,000 characters)"
    assert len(clip(NAME)) < 250
