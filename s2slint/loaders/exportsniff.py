"""Recognising ZIP archives, JSON and CSV exports, apart from reading them.

Every file that is neither CLIXML nor a topology is offered to these sniffs before the
certificate and zone loaders (they come first in priority), and the ZIP sniff is asked
about every file. Kept apart from their readers (`archive`, `psjson`, `pscsv`), they
let a bundle of CLIXML exports, certificates and a zone import none of the three,
nor `csv` and `zipfile` behind them.
"""

from __future__ import annotations

import re

from s2slint.loaders.base import Source

__all__ = ["TYPE_LINE", "ZIP_MAGIC", "sniff_archive", "sniff_csv", "sniff_json"]

ZIP_MAGIC = b"PK\x03\x04"
TYPE_LINE = re.compile(r"^#TYPE\s+(\S.*)$")
"""The first line `Export-Csv` writes (unless `-NoTypeInformation`): the object's type."""


def sniff_archive(source: Source) -> bool:
    """Recognise a ZIP archive by its local-file-header signature."""
    return source.data.startswith(ZIP_MAGIC)


def sniff_json(source: Source) -> bool:
    """Recognise a JSON export: an object or array whose keys include cmdlet properties."""
    head = source.head.lstrip()
    if not head.startswith(("{", "[")):
        return False
    return any(f'"{name}"' in head for name in _characteristic_properties())


def sniff_csv(source: Source) -> bool:
    """Recognise a CSV export by its `#TYPE` line or a header of cmdlet properties."""
    lines = source.head.lstrip("\ufeff").splitlines()
    if not lines:
        return False
    if TYPE_LINE.match(lines[0].strip()):
        return True
    header = lines[0]
    return header.startswith('"') and any(f'"{n}"' in header for n in _characteristic_properties())


def _characteristic_properties() -> tuple[str, ...]:
    """Return the property names that mark a cmdlet's objects (`loaders.powershell`)."""
    # Imported only for text shaped like JSON or CSV: the CLIXML reader is large.
    from s2slint.loaders.powershell import CHARACTERISTIC_PROPERTIES

    return CHARACTERISTIC_PROPERTIES
