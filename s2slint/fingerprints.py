"""Stable identities of findings, for baselines, SARIF and GitLab.

Exports are regenerated, so line numbers move while the problem stays the same. A
finding is therefore identified by its rule and the *logical object* it is about
(`Finding.key`, e.g. `partner-application:microsoft.exchange`), falling back to its
file and message when a rule gives no key. Code-scanning services also need the
identity to be unique per finding (GitLab collapses equal fingerprints, GitHub
merges alerts), so collisions are told apart by path, message and finally order.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Sequence

from s2slint.findings import Finding

FINGERPRINT_VERSION = "v1"
"""Bump when the identity changes, so consumers treat old and new as different."""


def logical_key(finding: Finding) -> str:
    """Return the object a finding is about: its key, else its file and message."""
    if finding.key:
        return finding.key
    return f"{finding.location.path}|{finding.message}"


def identity(finding: Finding) -> tuple[str, str]:
    """Return (code, logical key): what a baseline entry records."""
    return finding.code, logical_key(finding)


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()


def fingerprints(findings: Sequence[Finding]) -> list[str]:
    """Return one hex fingerprint per finding, in order: stable and unique.

    The fingerprint hashes the code and logical key; only findings that share both
    are refined with their path, then their message, then their position in the
    (deterministic) order, so a lone finding's fingerprint never depends on others.
    """
    refinements: tuple[Callable[[Finding, int], str], ...] = (
        lambda f, _: f.location.path,
        lambda f, _: f.message,
        lambda _, n: str(n),
    )
    prints = [_digest(FINGERPRINT_VERSION, *identity(f)) for f in findings]
    for refine in refinements:
        groups: dict[str, list[int]] = defaultdict(list)
        for index, value in enumerate(prints):
            groups[value].append(index)
        collided = [indexes for indexes in groups.values() if len(indexes) > 1]
        if not collided:
            break
        for indexes in collided:
            for ordinal, index in enumerate(indexes):
                prints[index] = _digest(prints[index], refine(findings[index], ordinal))
    return prints
