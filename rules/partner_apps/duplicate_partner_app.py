"""PAP009 duplicate-partner-app: one partner, one application."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from s2slint.findings import Issue, Location, Severity
from s2slint.model import Located, Model
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc, evaluated

from .._shared import references as ref
from .._shared.integration import exchange_app_name, exchange_apps_for_lync, exchange_key, lync_key
from ._common import EITHER_SIDE, LYNC_APPS

DOC = RuleDoc(
    what=(
        "Reports a partner application whose identity or `ApplicationIdentifier` "
        "(letter case ignored) another one of the same export already has: Lync's "
        "partner applications among themselves, and Exchange's applications for "
        "Lync among themselves. Exports are compared file by file, so the same "
        "applications exported twice are not duplicates; Exchange's applications "
        "for Exchange Online, Graph or Teams are not compared."
    ),
    why=(
        "A server looks a partner up by its identifier. With two applications for "
        "one identifier (for instance `microsoft.exchange` and an older `Exchange`) "
        "it may use the stale one, with another trust level, metadata URL or a "
        "disabled state, and tokens are accepted or rejected depending on which "
        "one wins."
    ),
    bad=LYNC_APPS + '<S N="Identity">Exchange</S> <S N="ApplicationIdentifier">'
    "00000002-0000-0ff1-ce00-000000000000</S>\n"
    '<S N="Identity">microsoft.exchange</S> <S N="ApplicationIdentifier">'
    "00000002-0000-0ff1-ce00-000000000000</S>",
    good=LYNC_APPS + '<S N="Identity">microsoft.exchange</S> <S N="ApplicationIdentifier">'
    "00000002-0000-0ff1-ce00-000000000000</S>",
    fix="Remove-CsPartnerApplication -Identity <the stale one>",
    references=(ref.PARTNER_APP_ONPREM_SFB, ref.PARTNER_APPS_LYNC),
)


@dataclass(frozen=True, slots=True)
class _Entry:
    """One partner application as PAP009 compares them, whichever side it is on."""

    path: str
    name: str
    identity: Located[str] | None
    app_id: Located[str] | None
    loc: Location
    key: str


def _entries(model: Model) -> list[_Entry]:
    """Lync's partner applications, then Exchange's applications for Lync."""
    entries = [
        _Entry(a.loc.path, a.name, a.identity, a.application_identifier, a.loc, lync_key(a))
        for a in model.lync_partner_applications
    ]
    entries += [
        _Entry(
            a.loc.path,
            exchange_app_name(a),
            a.name,
            a.application_identifier,
            a.loc,
            exchange_key(a),
        )
        for a in exchange_apps_for_lync(model)
    ]
    return entries


_COMPARED: tuple[tuple[str, Callable[[_Entry], Located[str] | None]], ...] = (
    ("identity", lambda entry: entry.identity),
    ("ApplicationIdentifier", lambda entry: entry.app_id),
)
"""What two applications of one export must not share, as messages name it."""


def _shared_values(
    entries: list[_Entry], label: str, pick: Callable[[_Entry], Located[str] | None]
) -> list[Issue]:
    """Report each application whose `pick` value an earlier one of its export already has."""
    issues = []
    seen: dict[tuple[str, str], _Entry] = {}
    for entry in entries:
        value = pick(entry)
        if value is None or not value.value.strip():
            continue
        first = seen.setdefault((entry.path, value.value.strip().lower()), entry)
        if first is entry:
            continue
        issues.append(
            Issue(
                f'partner applications "{first.name}" and "{entry.name}" share the '
                f'{label} "{value.value.strip()}"',
                value.loc,
                related=(first.loc,),
                key=entry.key,
            )
        )
    return issues


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag two partner applications of one export with the same identity or identifier.

    Compared within each export file: the same application exported twice (say from two
    sessions) is not a duplicate. On Exchange's side only applications for Lync count.
    """
    entries = _entries(model)
    issues = [issue for label, pick in _COMPARED for issue in _shared_values(entries, label, pick)]
    return evaluated(issues, len(entries))


RULE = Rule(
    code="PAP009",
    name="duplicate-partner-app",
    severity=Severity.ERROR,
    summary="Two partner applications share an identity or application identifier",
    doc=DOC,
    check=check,
    requires=(EITHER_SIDE,),
)
