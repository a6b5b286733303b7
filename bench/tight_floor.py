"""The tight floor: the least any tool must do to read the estate, and nothing else.

Every file's bytes are read; each XML or CLIXML file is parsed by lxml from its bytes
(lxml reads the byte-order mark itself); each DER or PEM certificate, and each
`RawData` certificate of a CLIXML export, is loaded with cryptography; zone files are
read as plain lines. s2slint's time divided by this script's is the overhead ratio the
speed target is set in (the older `floor.py` parsed zones with dnspython, slow itself).
Usage: `python bench/tight_floor.py DIR`.
"""

from __future__ import annotations

import base64
import os
import sys


def files(root: str) -> list[str]:
    """Return every file under `root`, in a stable order."""
    found = []
    for folder, _, names in os.walk(root):
        found.extend(os.path.join(folder, name) for name in names)
    return sorted(found)


def main(root: str) -> int:
    from cryptography import x509
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    raw_data = "{http://schemas.microsoft.com/powershell/2004/04}BA"
    count = 0
    for path in files(root):
        with open(path, "rb") as handle:
            data = handle.read()
        if data[:1] == b"\x30":
            x509.load_der_x509_certificate(data)
        elif b"-----BEGIN CERTIFICATE-----" in data[:64]:
            x509.load_pem_x509_certificates(data)
        elif data.lstrip(b"\xef\xbb\xbf\xff\xfe \t\r\n")[:2] in (b"<", b"<\x00"):
            document = etree.fromstring(data, parser)
            for element in document.iter(raw_data):
                if element.get("N") == "RawData" and element.text:
                    x509.load_der_x509_certificate(base64.b64decode(element.text))
        else:
            data.splitlines()
        count += 1
    return count


if __name__ == "__main__":
    print(main(sys.argv[1]))
