"""The floor: parse the same files with the same libraries, and do nothing else.

XML (topology, CLIXML) with lxml, certificates with cryptography, zone files with
dnspython; each file is decoded by its byte-order mark as s2slint does. s2slint's
time divided by this script's is the overhead ratio. Usage: `python bench/floor.py DIR`.
"""

from __future__ import annotations

import sys
from pathlib import Path


def decode(data: bytes) -> str:
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        return data.decode("utf-16")
    return data.decode("utf-8-sig", errors="replace")


def main(root: Path) -> int:
    import re

    import dns.zone
    from cryptography import x509
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    count = 0
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if data[:1] == b"\x30":
            x509.load_der_x509_certificate(data)
        else:
            text = decode(data)
            if text.lstrip().startswith("<"):
                etree.fromstring(re.sub(r"^\s*<\?xml[^>]*\?>", "", text).encode("utf-8"), parser)
            else:
                text = re.sub(r"\[AGE:\d+\]", " ", text)
                dns.zone.from_text(
                    text, origin="litwareinc.com.", relativize=False, check_origin=False
                )
        count += 1
    return count


if __name__ == "__main__":
    print(main(Path(sys.argv[1])))
