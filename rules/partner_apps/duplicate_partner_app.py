"""PAP009 duplicate-partner-app: one partner, one application."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from s2slint.findings import Issue, Location, Severity
from s2slint.model import ExchangePartnerApplication, Located, LyncPartnerApplication, Model
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc, evaluated

from .._shared import references as ref
from .._shared.integration import exchange_app_name, exchange_apps_for_lync, exchange_key, lync_key
from ._common import DOC_NAME, EITHER_SIDE, KNOWN_IDS, LYNC_APPS, carries_wrong_identifier
from ._fixes import EXCHANGE_SHELL, LYNC_SHELL, lines, lync_identity, quoted

DOC = RuleDoc(
    what=(
        "Reports a partner application whose identity another one of the same export "
        "already has, or whose `ApplicationIdentifier` another one has *and* is trusted "
        "the same way: both through metadata or a certificate, or both through the OAuth "
        "(authorization) server (`AuthToken` `UseOAuthServer` on Lync, `UseAuthServer` "
        "without a metadata URL on Exchange). Letter case is ignored. Lync's partner "
        "applications are compared among themselves, Exchange's applications for Lync "
        "among themselves: Skype for Business Online's `SfBLegacy` (through the "
        "authorization server) beside the on-premises pool's `LyncEnterprise-...` "
        "(through its metadata) is the normal hybrid setup, not a duplicate. Exports are "
        "compared file by file, so the same applications exported twice are not "
        "duplicates; Exchange's applications for Exchange Online, Graph or Teams are not "
        "compared, nor is an identifier that belongs to another product than the "
        "application's (PAP011 reports it)."
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
    fix=(
        "# Skype for Business Server Management Shell: $identity is the duplicate to remove;\n"
        "# keep the one the integration uses (usually microsoft.exchange, microsoft.sharepoint)\n"
        "$identity = 'Exchange'\n"
        "Remove-CsPartnerApplication -Identity $identity\n"
        "# Exchange Management Shell: $name is a duplicate of Exchange's application for Lync\n"
        f"{DOC_NAME}\n"
        "Remove-PartnerApplication -Identity $name"
    ),
    references=(ref.PARTNER_APP_ONPREM_SFB, ref.PARTNER_APPS_LYNC),
)


_MODES = {True: "through an OAuth server", False: "through metadata or a certificate"}
"""How an application is trusted, as the message says it (by `via_oauth_server`)."""
_USUAL_NAMES = frozenset({"microsoft.exchange", "microsoft.sharepoint"})
"""The identities Microsoft's procedures give Lync's applications: the ones to keep."""


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class _Entry:
    """One partner application as PAP009 compares them, whichever side it is on.

    `via_oauth_server` tells the trust mode: True when the application is trusted through
    an OAuth (authorization) server, False through its metadata or a certificate, None
    when the export does not say.
    """

    path: str
    name: str
    identity: Located[str] | None
    app_id: Located[str] | None
    loc: Location
    key: str
    via_oauth_server: bool | None
    remove: str


def _lync_entry(app: LyncPartnerApplication) -> _Entry:
    identity = lync_identity(app)
    remove = (
        lines(LYNC_SHELL, f"Remove-CsPartnerApplication -Identity {quoted(identity)}")
        if identity
        else ""
    )
    return _Entry(
        app.loc.path,
        app.name,
        app.identity,
        None if carries_wrong_identifier(app) else app.application_identifier,
        app.loc,
        lync_key(app),
        app.uses_oauth_server,
        remove,
    )


def _exchange_entry(app: ExchangePartnerApplication) -> _Entry:
    has_url = app.auth_metadata_url is not None and bool(app.auth_metadata_url.value)
    uses_server = app.use_auth_server is not None and app.use_auth_server.value
    name = exchange_app_name(app)
    app_id = app.application_identifier
    wrong = app_id is not None and KNOWN_IDS.get(app_id.value.strip().lower()) not in (None, "lync")
    return _Entry(
        app.loc.path,
        name,
        app.name,
        None if wrong else app_id,
        app.loc,
        exchange_key(app),
        bool(uses_server and not has_url),
        lines(EXCHANGE_SHELL, f"Remove-PartnerApplication -Identity {quoted(name)}"),
    )


def _entries(model: Model) -> list[_Entry]:
    """Lync's partner applications, then Exchange's applications for Lync."""
    entries = [_lync_entry(app) for app in model.lync_partner_applications]
    return entries + [_exchange_entry(app) for app in exchange_apps_for_lync(model)]


def _same_mode(first: _Entry, other: _Entry) -> bool:
    """Tell whether two applications are trusted the same way (unknown: assumed the same)."""
    if first.via_oauth_server is None or other.via_oauth_server is None:
        return True
    return first.via_oauth_server == other.via_oauth_server


def _how(first: _Entry, other: _Entry) -> str:
    """Say how both applications are trusted, when the exports tell it."""
    mode = first.via_oauth_server if first.via_oauth_server is not None else other.via_oauth_server
    return "" if mode is None else f", both trusted {_MODES[mode]}"


def _stale(first: _Entry, other: _Entry) -> _Entry:
    """Pick the application of a pair to remove: not the one with the usual identity."""
    if other.name.lower() in _USUAL_NAMES and first.name.lower() not in _USUAL_NAMES:
        return first
    return other


def _fix(first: _Entry, other: _Entry) -> str:
    stale = _stale(first, other)
    kept = first if stale is other else other
    return f'{stale.remove}\n# keeps "{kept.name}"' if stale.remove else ""


def _shared(
    entries: list[_Entry],
    label: str,
    pick: Callable[[_Entry], Located[str] | None],
    same_mode: bool,
) -> list[Issue]:
    """Report each application whose `pick` value an earlier one of its export already has.

    With `same_mode`, only applications trusted the same way are compared (Exchange's
    `SfBLegacy`, through the OAuth server, is not a duplicate of its application for the
    on-premises pool, trusted through the pool's metadata).
    """
    issues = []
    seen: dict[tuple[str, str], list[_Entry]] = {}
    for entry in entries:
        value = pick(entry)
        if value is None or not value.value.strip():
            continue
        earlier = seen.setdefault((entry.path, value.value.strip().lower()), [])
        first = next((e for e in earlier if not same_mode or _same_mode(e, entry)), None)
        earlier.append(entry)
        if first is None:
            continue
        how = _how(first, entry) if same_mode else ""
        issues.append(
            Issue(
                f'partner applications "{first.name}" and "{entry.name}" share the '
                f'{label} "{value.value.strip()}"{how}',
                value.loc,
                related=(first.loc,),
                key=entry.key,
                fix=_fix(first, entry),
            )
        )
    return issues


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag two partner applications of one export for the same partner.

    The same identity, or the same identifier trusted the same way. Compared within
    each export file: the same application exported twice (say from two sessions) is not
    a duplicate. On Exchange's side only applications for Lync count.
    """
    entries = _entries(model)
    issues = _shared(entries, "identity", lambda entry: entry.identity, same_mode=False)
    issues += _shared(entries, "ApplicationIdentifier", lambda entry: entry.app_id, same_mode=True)
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
