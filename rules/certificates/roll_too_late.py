"""CRT014 roll-too-late: a rolled OAuthTokenIssuer certificate comes in too close to expiry."""

from __future__ import annotations

from datetime import datetime, timedelta

from s2slint.findings import Issue, Severity
from s2slint.model import CsCertificate, Located, Model
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc, not_evaluated

from .._shared import references as ref
from ._dates import hours, utc, when
from ._examples import ROLL_EXPORT
from ._judge import Seen, judge_each
from ._scope import not_after, scoped_certificates, thumbprint_of

DOC = RuleDoc(
    what=(
        "Reports a rolled OAuthTokenIssuer certificate (a `Get-CsCertificate` entry "
        "with an `EffectiveDate`) that becomes effective less than 24 hours before, or "
        "after, the certificate in force expires. The expiry is read from the "
        "certificate file, else from the `Get-CsCertificate` entry."
    ),
    why=(
        "A roll lets the new certificate replicate and partners fetch the new "
        "metadata while the old one still works. Microsoft asks for the effective "
        "date at least 24 hours before the current certificate expires; a later roll "
        "leaves a window in which Lync signs with an expired certificate or partners "
        "do not know the new one yet, and server-to-server requests fail."
    ),
    bad=ROLL_EXPORT.format(
        not_after="2030-01-15T09:00:00-05:00",
        thumbprint="9F8E7D6C5B4A39281706F5E4D3C2B1A09F8E7D6C",
        effective='DT N="EffectiveDate">2028-01-15T06:00:00-05:00</DT>',
    )
    + "\n<!-- the current certificate expires 2028-01-15T09:00:00-05:00 (3 hours later) -->",
    good=ROLL_EXPORT.format(
        not_after="2030-01-15T09:00:00-05:00",
        thumbprint="9F8E7D6C5B4A39281706F5E4D3C2B1A09F8E7D6C",
        effective='DT N="EffectiveDate">2028-01-12T09:00:00-05:00</DT>',
    ),
    fix=(
        "# roll the new certificate in at least 24 hours before the current one expires\n"
        "Set-CsCertificate -Identity global -Type OAuthTokenIssuer "
        "-Thumbprint <new thumbprint> -Roll -EffectiveDate <current NotAfter minus 2 days>"
    ),
    evidence="Get-CsCertificate exports with the OAuthTokenIssuer assignments",
    references=(ref.STAGE_CERTS_SFB, ref.ASSIGN_CERT_SFB),
)

_ROLL_MARGIN = timedelta(hours=24)
Roll = tuple[Located[datetime], Seen[datetime]]
"""A roll's effective date and the NotAfter of the certificate in force it replaces."""


def _rolls(model: Model, ctx: RuleContext) -> dict[tuple[str, str], list[Roll]]:
    """Return every roll by (rolled, current) thumbprints, once per export that stages it."""
    scope = {item.thumbprint: item for item in scoped_certificates(model, ctx.now)}
    exports: dict[str, list[CsCertificate]] = {}
    for entry in model.cs_certificates:
        if entry.is_oauth and thumbprint_of(entry.thumbprint):
            exports.setdefault(entry.server or entry.loc.path, []).append(entry)
    rolls: dict[tuple[str, str], list[Roll]] = {}
    for entries in exports.values():
        current = [e for e in entries if e.effective_date is None]
        for roll in entries:
            if roll.effective_date is None:
                continue
            rolled = thumbprint_of(roll.thumbprint)
            for entry in current:
                thumbprint = thumbprint_of(entry.thumbprint)
                expiry = not_after(scope[thumbprint]) if thumbprint != rolled else None
                if expiry is not None:
                    rolls.setdefault((rolled, thumbprint), []).append((roll.effective_date, expiry))
    return rolls


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag a rolled OAuthTokenIssuer certificate effective under 24 hours before expiry."""
    if not model.cs_certificates:
        return not_evaluated("a Get-CsCertificate export (the OAuthTokenIssuer assignments)")

    def report(pair: tuple[str, str], found: list[Roll]) -> tuple[Issue, ...]:
        rolled, current = pair
        effective, expiry = found[0]
        margin = utc(expiry.value) - utc(effective.value)
        if margin >= _ROLL_MARGIN:
            return ()
        side = "before" if margin >= timedelta(0) else "after"
        return (
            Issue(
                f"rolled OAuthTokenIssuer certificate {rolled} becomes effective on "
                f"{when(effective.value)}, {hours(margin)} {side} the current certificate "
                f"{current} expires ({when(expiry.value)}); roll it in at least 24 hours "
                "before the expiry",
                effective.loc,
                related=(expiry.loc, *(roll.loc for roll, _ in found[1:])),
                key=f"certificate:{rolled}:roll",
            ),
        )

    rolls = _rolls(model, ctx)
    return judge_each(sorted(rolls), rolls.get, report)


RULE = Rule(
    code="CRT014",
    name="roll-too-late",
    severity=Severity.WARNING,
    summary="A rolled OAuthTokenIssuer certificate becomes effective under 24 hours before expiry",
    check=check,
    doc=DOC,
)
