"""Issue 15, item 11: a look-alike server name never turns an error into a warning.

In `fixtures/oauth-cert-inconsistent` atl-fe-03 carries an OAuth certificate of its
own: CRT002 (error). Naming its export's folder or `PSComputerName` with a zero-width
space, fullwidth dots or a Cyrillic letter made the export match no server, so the
same bundle reported TOP002 (a warning: "no export") instead. Host names are now
compared as DNS compares them (IDNA/UTS #46: the first two are the same server), and
a name that remains no valid server name (the Cyrillic one) is an INP001 error.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES
from exports import cs_certificate_xml
from round2 import assert_cache_neutral, check

SERVER = "atl-fe-03.litwareinc.com"
MAPPED = {
    "zero-width space": "atl-fe-03.litwareinc\u200b.com",
    "fullwidth dots": "atl-fe-03\uff0elitwareinc\uff0ecom",
    "upper case and a trailing ideographic full stop": "ATL-FE-03.LITWAREINC.COM\u3002",
}
CYRILLIC = "\u0430tl-fe-03.litwareinc.com"
ODD_THUMBPRINT = "18C121041B4E879C203635DDCF5BF7A9D66EDFFE"
"""atl-fe-03's own OAuth certificate in the fixture (the others carry 7054C127...)."""


def findings(bundle: Path) -> list[tuple[str, str, str]]:
    """Return (path, code, severity) of every finding of a concise run."""
    ran = check(bundle, ".", "--output-format", "concise")
    assert ran.returncode in (0, 1), ran.stderr
    found = []
    for line in ran.text.splitlines():
        match = re.match(r"^(.*?)(?::\d+:\d+)?: ([A-Z]{3}\d{3}) \[(\w+)\]", line)
        assert match, line
        found.append((match[1], match[2], match[3]))
    return found


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    """A copy of the fixture where atl-fe-03's certificate differs (CRT002)."""
    copy = tmp_path / "bundle"
    shutil.copytree(FIXTURES / "oauth-cert-inconsistent", copy)
    codes = [code for _, code, _ in findings(copy)]
    assert "CRT002" in codes and "TOP002" not in codes
    return copy


def rename_server_folder(bundle: Path, name: str) -> None:
    (bundle / "servers" / SERVER).rename(bundle / "servers" / name)


def use_computer_name(bundle: Path, name: str) -> None:
    """Replace atl-fe-03's folder export by one that names the server by PSComputerName."""
    shutil.rmtree(bundle / "servers" / SERVER)
    (bundle / "lync" / "fe03-certificates.xml").write_text(
        cs_certificate_xml(name, ODD_THUMBPRINT), encoding="utf-8"
    )


@pytest.mark.parametrize("how", ["folder", "PSComputerName"])
@pytest.mark.parametrize("variant", list(MAPPED))
def test_names_dns_maps_to_the_server_are_that_server(bundle: Path, how: str, variant: str) -> None:
    if how == "folder":
        rename_server_folder(bundle, MAPPED[variant])
    else:
        use_computer_name(bundle, MAPPED[variant])
    codes = [code for _, code, _ in findings(bundle)]
    assert "CRT002" in codes
    assert "TOP002" not in codes
    # No input finding about the name (INP006 names exports this partial bundle lacks).
    assert not [code for code in codes if code.startswith("INP") and code != "INP006"]


@pytest.mark.parametrize("how", ["folder", "PSComputerName"])
def test_a_lookalike_is_reported_as_an_error_never_a_silent_warning(bundle: Path, how: str) -> None:
    if how == "folder":
        rename_server_folder(bundle, CYRILLIC)
    else:
        use_computer_name(bundle, CYRILLIC)
    found = findings(bundle)
    invalid = [(path, severity) for path, code, severity in found if code == "INP001"]
    assert len(invalid) == 1 and invalid[0][1] == "error"
    ran = check(bundle, ".", "--output-format", "concise")
    assert "U+0430 CYRILLIC SMALL LETTER A" in ran.text
    assert ran.returncode == 1


def test_a_lookalike_in_the_topology_is_reported(bundle: Path) -> None:
    topology = bundle / "lync" / "topology.xml"
    data = topology.read_bytes()
    encoding = "utf-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8"
    text = data.decode(encoding)
    assert f'Fqdn="{SERVER}"' in text
    topology.write_text(text.replace(f'Fqdn="{SERVER}"', f'Fqdn="{CYRILLIC}"'), encoding=encoding)
    found = findings(bundle)
    assert ("lync/topology.xml", "INP001", "error") in found


def test_lookalikes_print_the_same_with_and_without_the_cache(bundle: Path, tmp_path: Path) -> None:
    rename_server_folder(bundle, CYRILLIC)
    (bundle / "servers" / "atl-fe-02.litwareinc.com").rename(
        bundle / "servers" / MAPPED["fullwidth dots"].replace("03", "02")
    )
    assert_cache_neutral(bundle, tmp_path / "cache", ".", "--output-format", "full")
