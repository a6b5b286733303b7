"""Hostile and broken inputs, built at test time, and a way to lint a bundle of them.

Every builder returns the bytes of one file an attacker (or a broken tool) could put
in a bundle: entity-expansion and external-entity XML, absurdly deep or wide trees,
20 MB lines, zone files that name other files, damaged certificates. The big ones are
generated here, never committed. `HOSTILE_CASES` pairs each with the exact finding
s2slint must answer with; `run_check` lints a bundle in a subprocess under a timeout,
so that a hang fails the test instead of stalling the suite.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from exports import oauth_xml

NS = "http://schemas.microsoft.com/powershell/2004/04"
OBJS = f'<Objs Version="1.1.0.1" xmlns="{NS}">'
OAUTH_TYPE = "Microsoft.Rtc.Management.WritableConfig.Settings.SSAuth.OAuthSettings"
TOPOLOGY_NS = "urn:schema:Microsoft.Rtc.Management.Deploy.Topology.2008"

CANARY_PASSWORD = "Canary-Pfx-Pa55-7Q2w"
"""The PFX password the runs are given: it must never appear in any output."""
CANARY_SECRET = "Canary-Secret-File-Content-93kd"
"""The content of a file outside the bundle that hostile inputs try to make s2slint read."""

GOOD_FILE = "lync/oauth-configuration.xml"
"""The good export every hostile bundle also holds: its OAU001 must always be reported."""
HANG_GUARD_SECONDS = 120
"""A run that takes longer than this is taken for a hang (it should take about a second)."""


# ------------------------------------------------------------------------------ XML


def oauth_object(
    url: str = "https://autodiscover.litwareinc.com/autodiscover/autodiscover.svc",
) -> str:
    """Return one `Get-CsOAuthConfiguration` object (no trailing newline)."""
    return (
        f'<Obj RefId="0"><TN RefId="0"><T>{OAUTH_TYPE}</T><T>System.Object</T></TN>'
        f'<ToString>Global</ToString><Props><S N="Identity">Global</S>'
        f'<S N="ExchangeAutodiscoverUrl">{url}</S></Props></Obj>'
    )


def billion_laughs() -> bytes:
    """The classic exponential entity expansion (10 levels of 10 references)."""
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    )
    return f'<?xml version="1.0"?>\n<!DOCTYPE Objs [{entities}]>\n{OBJS}<S>&lol9;</S></Objs>\n'.encode()


def quadratic_blowup(entity_chars: int = 4_000) -> bytes:
    """One big entity referenced 50,000 times: 200 MB if expanded, without nesting."""
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE Objs [<!ENTITY a "{"A" * entity_chars}">]>\n'
        f"{OBJS}<S>{'&a;' * 50_000}</S></Objs>\n"
    ).encode()


def external_entity(target: Path) -> bytes:
    """An external entity that would read `target` into a value (XXE)."""
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE Objs [<!ENTITY xxe SYSTEM "file://{target}">]>\n'
        f'{OBJS}<Obj RefId="0"><TN RefId="0"><T>{OAUTH_TYPE}</T></TN><Props>'
        f'<S N="ExchangeAutodiscoverUrl">&xxe;</S></Props></Obj></Objs>\n'
    ).encode()


def parameter_entities(target: Path) -> bytes:
    """Parameter entities that would read `target` and send it out (blind XXE)."""
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE Objs [\n'
        f'  <!ENTITY % file SYSTEM "file://{target}">\n'
        '  <!ENTITY % dtd SYSTEM "http://127.0.0.1:9/evil.dtd">\n'
        "  %dtd; %file;\n]>\n"
        f"{OBJS}</Objs>\n"
    ).encode()


def external_dtd() -> bytes:
    """A DOCTYPE that names an external DTD on the network."""
    return f'<?xml version="1.0"?>\n<!DOCTYPE Objs SYSTEM "http://127.0.0.1:9/x.dtd">\n{OBJS}</Objs>\n'.encode()


def xinclude(target: Path) -> bytes:
    """A topology that asks for `target` through XInclude (never processed)."""
    return (
        f'<Topology xmlns="{TOPOLOGY_NS}" xmlns:xi="http://www.w3.org/2001/XInclude">\n'
        f'  <xi:include href="file://{target}" parse="text"/>\n'
        f'  <xi:include href="{target}" parse="xml"/>\n'
        "</Topology>\n"
    ).encode()


def deep_nesting(levels: int) -> bytes:
    """`levels` nested elements inside a CLIXML root."""
    return (OBJS + "<Obj>" * levels + "</Obj>" * levels + "</Objs>\n").encode()


def long_line(chars: int) -> bytes:
    """A CLIXML export whose one line holds `chars` characters of many small values."""
    item = '<S N="x">value</S>'
    count = chars // len(item) + 1
    return (OBJS + '<Obj RefId="0"><Props>' + item * count + "</Props></Obj></Objs>").encode()


def many_attributes(count: int) -> bytes:
    """One element with `count` attributes, on the second line."""
    attributes = " ".join(f'a{i}="{i}"' for i in range(count))
    return f"{OBJS}\n<Obj {attributes}/></Objs>\n".encode()


def clixml_list(items: int) -> bytes:
    """An object whose list property holds `items` strings, one per line."""
    return (
        f'{OBJS}\n<Obj RefId="0"><TN RefId="0"><T>{OAUTH_TYPE}</T></TN><Props>\n'
        '<Obj N="AlternativeNames" RefId="1"><LST>\n'
        + "<S>a</S>\n" * items
        + "</LST></Obj></Props></Obj></Objs>\n"
    ).encode()


def many_lines(count: int) -> bytes:
    """A CLIXML export stretched over `count` lines."""
    return (OBJS + "\n" * count + "</Objs>\n").encode()


def malformed_xml() -> bytes:
    """A CLIXML export whose third line closes the wrong tag."""
    return f'{OBJS}\n<Obj RefId="0">\n  <S N="a">x</Z>\n</Obj></Objs>\n'.encode()


def undefined_entity() -> bytes:
    """An entity reference without a DOCTYPE that defines it."""
    return f"{OBJS}\n<S>&xxe;</S></Objs>\n".encode()


def nul_bytes() -> bytes:
    """A CLIXML export with a NUL character (no XML character) on its third line.

    It comes after the first 512 bytes, so the file is still taken for text and
    recognised; a NUL near the start makes it binary, of no kind s2slint reads.
    """
    return f"{OBJS}\n<!-- {'padding ' * 80} -->\n<S>a\x00b</S></Objs>\n".encode()


# --------------------------------------------------------------------------- CLIXML


def dangling_ref() -> bytes:
    """A `Ref` to an object that was never defined."""
    return (
        f'{OBJS}\n<Obj RefId="0"><TN RefId="0"><T>{OAUTH_TYPE}</T></TN><Props>\n'
        '<Ref N="ExchangeAutodiscoverUrl" RefId="99" />\n</Props></Obj></Objs>\n'
    ).encode()


def self_ref() -> bytes:
    """An object whose property refers to the object itself (a cycle if followed)."""
    return (
        f'{OBJS}\n<Obj RefId="0"><TN RefId="0"><T>{OAUTH_TYPE}</T></TN><Props>\n'
        '<Ref N="Self" RefId="0" />\n</Props></Obj></Objs>\n'
    ).encode()


def dangling_tnref() -> bytes:
    """A `TNRef` to a type list that was never written, in an object still recognised."""
    return (
        f'{OBJS}\n<Obj RefId="0"><TNRef RefId="7" /><Props><S N="ExchangeAutodiscoverUrl">'
        "https://autodiscover.litwareinc.com/autodiscover/autodiscover.svc</S></Props></Obj>"
        "</Objs>\n"
    ).encode()


def bad_values(count: int) -> bytes:
    """`count` integers that are not integers, one per line."""
    return (
        f'{OBJS}\n<Obj RefId="0"><TN RefId="0"><T>{OAUTH_TYPE}</T></TN><Props>\n'
        + "".join(f'<I32 N="v{i}">not-a-number</I32>\n' for i in range(count))
        + "</Props></Obj></Objs>\n"
    ).encode()


def deep_objects(levels: int) -> bytes:
    """Objects nested `levels` deep through their properties (two XML levels each)."""
    opening = "".join(f'<Obj N="p" RefId="{i}"><Props>' for i in range(levels))
    closing = "</Props></Obj>" * levels
    return f"{OBJS}\n{opening}{closing}</Objs>\n".encode()


def escape_run(count: int) -> bytes:
    """A string of `count` `_xHHHH_` escapes (PowerShell's for characters XML lacks)."""
    return f"{OBJS}\n<S>{'_x0041_' * count}</S></Objs>\n".encode()


def unknown_tags() -> bytes:
    """A genuine object with tags no PowerShell version writes, inside and around it."""
    return (
        f"{OBJS}\n<Bogus>text</Bogus>\n"
        f'<Obj RefId="0"><TN RefId="0"><T>{OAUTH_TYPE}</T></TN><Weird/><Props>\n'
        '<Zzz N="Strange">1</Zzz><S N="ExchangeAutodiscoverUrl">'
        "https://autodiscover.litwareinc.com/autodiscover/autodiscover.svc</S>\n"
        "</Props></Obj></Objs>\n"
    ).encode()


# ----------------------------------------------------------------------------- DNS

ZONE_HEAD = (
    "$ORIGIN litwareinc.com.\n$TTL 3600\n"
    "@ IN SOA ns1.litwareinc.com. hostmaster.litwareinc.com. 1 900 600 86400 3600\n"
    "@ IN NS ns1.litwareinc.com.\nns1 IN A 10.0.0.1\n"
)


def zone_include(target: Path) -> bytes:
    """A zone file whose sixth line would pull `target` in."""
    return (ZONE_HEAD + f"$INCLUDE {target}\nwww IN A 10.0.0.2\n").encode()


def zone_generate_huge() -> bytes:
    """One `$GENERATE` line that would expand to four billion records."""
    return (ZONE_HEAD + "$GENERATE 1-4000000000 host$ A 10.0.0.1\n").encode()


def zone_many_generates(lines: int) -> bytes:
    """`lines` `$GENERATE` directives of 10,000 records each, each under its own limit."""
    return (
        ZONE_HEAD + "".join(f"$GENERATE 1-10000 h{i}-$ A 10.0.0.1\n" for i in range(lines))
    ).encode()


def zone_many_records(count: int) -> bytes:
    """A zone of `count` A records."""
    return (
        ZONE_HEAD + "".join(f"h{i} IN A 10.1.{i // 256 % 256}.{i % 256}\n" for i in range(count))
    ).encode()


def zone_malformed_record() -> bytes:
    """A zone whose seventh line has an address that is no address."""
    return (ZONE_HEAD + "www IN A 10.0.0.2\nbad IN A 999.1.2.3\n").encode()


def zone_unclosed_parenthesis() -> bytes:
    """A zone whose sixth line opens a parenthesis nothing closes."""
    return (ZONE_HEAD + 'txt IN TXT ( "a"\nmore IN A 10.0.0.3\n').encode()


def zone_long_line(chars: int) -> bytes:
    """A zone with one TXT record of `chars` characters on its sixth line."""
    return (ZONE_HEAD + 'big IN TXT "' + "a" * chars + '"\n').encode()


# ---------------------------------------------------------------------- certificates


def random_der(size: int = 4096) -> bytes:
    """Deterministic noise inside DER SEQUENCE headers, so that it is taken for one."""
    noise = bytes((i * 131 + 17) % 256 for i in range(size))
    inner = b"\x30\x82" + size.to_bytes(2, "big") + noise
    return b"\x30\x82" + len(inner).to_bytes(2, "big") + inner


def pfx(password: str) -> bytes:
    """A PFX of a fresh self-signed certificate and its key, encrypted with `password`."""
    from datetime import UTC, datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "litwareinc.com")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(datetime(2026, 1, 1, tzinfo=UTC))
        .not_valid_after(datetime(2028, 1, 1, tzinfo=UTC))
        .sign(key, hashes.SHA256())
    )
    encryption = serialization.BestAvailableEncryption(password.encode())
    return pkcs12.serialize_key_and_certificates(b"oauth", key, cert, None, encryption)


def pem_bad_base64() -> bytes:
    """A certificate block whose Base64 text is damaged."""
    return b"-----BEGIN CERTIFICATE-----\nMIIB!!notbase64@@\n-----END CERTIFICATE-----\n"


def pem_bad_der() -> bytes:
    """A certificate block of valid Base64 that is no certificate."""
    return b"-----BEGIN CERTIFICATE-----\nMAMCAQA=\n-----END CERTIFICATE-----\n"


def pem_blocks(count: int) -> bytes:
    """`count` empty certificate blocks."""
    return b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n" * count


# ----------------------------------------------------------------------- the battery


@dataclass(frozen=True)
class Case:
    """One hostile file, where it goes in the bundle, and the finding it must give.

    `build` receives the folder outside the bundle that holds the secret file (for
    inputs that try to read it) and returns the file's bytes; `line` is the line the
    finding must point at (None: the position is unknown or not part of the contract).
    """

    name: str
    path: str
    build: Callable[[Path], bytes]
    code: str
    line: int | None = None
    message: str = ""


def _secret(outside: Path) -> Path:
    return outside / "secret.txt"


HOSTILE_CASES: tuple[Case, ...] = (
    # XML
    Case("billion-laughs", "x/laughs.xml", lambda o: billion_laughs(), "INP004", 2, "DOCTYPE"),
    Case(
        "quadratic-blowup", "x/quadratic.xml", lambda o: quadratic_blowup(), "INP004", 2, "DOCTYPE"
    ),
    # A DOCTYPE whose internal subset hides the root beyond the sniffing window: no
    # loader recognises the file, so nothing parses it.
    Case(
        "doctype-50kb",
        "x/bigdtd.xml",
        lambda o: quadratic_blowup(50_000),
        "INP002",
        None,
        "no kind",
    ),
    Case(
        "external-entity",
        "x/xxe.xml",
        lambda o: external_entity(_secret(o)),
        "INP004",
        2,
        "DOCTYPE",
    ),
    Case(
        "parameter-entities",
        "x/pe.xml",
        lambda o: parameter_entities(_secret(o)),
        "INP004",
        2,
        "DOCTYPE",
    ),
    Case("external-dtd", "x/dtd.xml", lambda o: external_dtd(), "INP004", 2, "DOCTYPE"),
    Case("deep-200000", "x/deep.xml", lambda o: deep_nesting(200_000), "INP004", 1, "levels deep"),
    Case("deep-150", "x/deep150.xml", lambda o: deep_nesting(150), "INP004", 1, "levels deep"),
    Case(
        "line-20mb", "x/line.xml", lambda o: long_line(20_000_000), "INP004", 1, "characters long"
    ),
    Case(
        "attributes-200000",
        "x/attrs.xml",
        lambda o: many_attributes(200_000),
        "INP004",
        2,
        "attributes",
    ),
    Case("list-1000000", "x/list1m.xml", lambda o: clixml_list(1_000_000), "INP004", None, "tags"),
    Case(
        "list-150000",
        "x/list150k.xml",
        lambda o: clixml_list(150_000),
        "INP004",
        3,
        "LST with 150,000 items",
    ),
    Case("lines-3000000", "x/lines.xml", lambda o: many_lines(3_000_000), "INP004", None, "lines"),
    Case("malformed", "x/malformed.xml", lambda o: malformed_xml(), "INP001", 3, "malformed XML"),
    Case("undefined-entity", "x/entity.xml", lambda o: undefined_entity(), "INP001", 2, "xxe"),
    Case("nul-character", "x/nul.xml", lambda o: nul_bytes(), "INP001", 3, "malformed XML"),
    Case(
        "nul-at-start", "x/nul0.xml", lambda o: b"\x00" + deep_nesting(1), "INP002", None, "no kind"
    ),
    Case(
        "bom-utf16-doctype",
        "x/bom16.xml",
        lambda o: b"\xef\xbb\xbf" + billion_laughs().decode().encode("utf-16-le"),
        "INP002",
        None,
        "no kind",
    ),
    # CLIXML
    Case("dangling-ref", "c/ref.xml", lambda o: dangling_ref(), "INP001", 3, 'RefId "99"'),
    Case("self-ref", "c/self.xml", lambda o: self_ref(), "INP001", 3, 'RefId "0"'),
    Case("dangling-tnref", "c/tnref.xml", lambda o: dangling_tnref(), "INP001", 2, "type list"),
    Case("bad-values", "c/values.xml", lambda o: bad_values(5), "INP001", 3, "not a valid I32"),
    Case("deep-objects", "c/deepobj.xml", lambda o: deep_objects(60), "INP004", 2, "levels deep"),
    # DNS
    Case(
        "zone-include", "d/include.dns", lambda o: zone_include(_secret(o)), "INP004", 6, "$INCLUDE"
    ),
    Case(
        "zone-generate", "d/generate.dns", lambda o: zone_generate_huge(), "INP004", 6, "$GENERATE"
    ),
    Case(
        "zone-generates",
        "d/generates.dns",
        lambda o: zone_many_generates(25),
        "INP004",
        25,
        "records",
    ),
    Case(
        "zone-malformed",
        "d/malformed.dns",
        lambda o: zone_malformed_record(),
        "INP001",
        7,
        "cannot parse",
    ),
    Case(
        "zone-parenthesis",
        "d/paren.dns",
        lambda o: zone_unclosed_parenthesis(),
        "INP001",
        6,
        "parenthesis",
    ),
    Case(
        "zone-line-20mb",
        "d/line.dns",
        lambda o: zone_long_line(20_000_000),
        "INP004",
        6,
        "characters long",
    ),
    # Certificates
    Case("random-der", "k/random.cer", lambda o: random_der(), "INP001", None, "certificate"),
    Case("pfx-truncated", "k/cut.pfx", lambda o: pfx("other")[:700], "INP001", None, "truncated"),
    Case("pfx-wrong-password", "k/wrong.pfx", lambda o: pfx("other"), "INP003", None, "password"),
    Case("pem-bad-base64", "k/b64.pem", lambda o: pem_bad_base64(), "INP001", 1, "Base64"),
    Case("pem-bad-der", "k/der.pem", lambda o: pem_bad_der(), "INP001", 1, "DER"),
    Case(
        "pem-20000-blocks", "k/blocks.pem", lambda o: pem_blocks(20_000), "INP004", None, "blocks"
    ),
    # Neither
    Case("empty", "e/empty.xml", lambda o: b"", "INP002", None, "empty"),
    Case(
        "unknown-kind",
        "e/notes.txt",
        lambda o: b"<Notes>call Bob about the certificate</Notes>\n",
        "INP002",
        None,
        "",
    ),
)


# --------------------------------------------------------------------------- running


def write_good_bundle(bundle: Path) -> None:
    """Write the export whose OAU001 every hostile run must still report."""
    path = bundle / GOOD_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(oauth_xml(), encoding="utf-16")


def make_outside(root: Path) -> Path:
    """Create the folder outside the bundle that holds the canary secret; return it."""
    outside = root / "outside"
    outside.mkdir(exist_ok=True)
    (outside / "secret.txt").write_text(CANARY_SECRET + "\n", encoding="utf-8")
    return outside


@dataclass
class Run:
    """What one subprocess run printed, parsed."""

    returncode: int
    stdout: str
    stderr: str
    findings: list[dict[str, object]] = field(default_factory=list)

    def at(self, path: str) -> list[dict[str, object]]:
        """Return the findings of one file (display path)."""
        return [f for f in self.findings if f["path"] == path]

    def codes(self, path: str) -> list[str]:
        """Return the codes reported for one file."""
        return [str(f["code"]) for f in self.at(path)]


def run_check(
    cwd: Path, *arguments: str, output_format: str = "json", env: Mapping[str, str] | None = None
) -> Run:
    """Run `python -m s2slint check ARGUMENTS` in a subprocess, under the hang guard.

    The PFX password is always the canary; the cache is off. Never a traceback, never
    exit code 2.
    """
    environment = {k: v for k, v in os.environ.items() if k != "S2SLINT_DEBUG"}
    environment["S2SLINT_PFX_PASSWORD"] = CANARY_PASSWORD
    environment.update(env or {})
    process = subprocess.run(
        [
            *(sys.executable, "-m", "s2slint", "check", *arguments),
            *("--output-format", output_format, "--isolated", "--as-of", "2026-11-21"),
            "--no-cache",  # every run parses: a cached result must not stand in for it
        ],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        check=False,
        timeout=HANG_GUARD_SECONDS,
    )
    assert "Traceback" not in process.stderr, process.stderr
    assert process.returncode in (0, 1), (process.returncode, process.stderr)
    run = Run(process.returncode, process.stdout, process.stderr)
    if output_format == "json":
        run.findings = list(json.loads(process.stdout)["findings"])
    return run


def assert_no_canary(*outputs: str) -> None:
    """Fail if the PFX password or the outside secret shows in any output."""
    for output in outputs:
        assert CANARY_PASSWORD not in output
        assert CANARY_SECRET not in output
