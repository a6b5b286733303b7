"""CRT014 roll-too-late: a rolled OAuthTokenIssuer certificate comes in too close to expiry."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import pairwise

from s2slint.evidence import Export, any_of
from s2slint.findings import Issue, Severity
from s2slint.model import Located, Model
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc

from .._shared import references as ref
from .._shared.judge import judge_each
from .._shared.oauth_certs import export_timelines
from ._dates import hours, utc, when
from ._docs import VERSIONS_TEXT
from ._examples import ROLL_EXPORT
from ._fixes import lync_assign_line, lync_roll_line, ps_date, quote, roll_date
from ._judge import Seen
from ._scope import not_after, scoped_certificates, thumbprint_of

DOC = RuleDoc(
    what=(
        "Reports a staged OAuthTokenIssuer roll (a `Get-CsCertificate` entry whose "
        "`EffectiveDate` is after the evaluation date) that becomes effective less than 24 "
        "hours before, or after, the certificate it replaces expires: the certificate in "
        "force at the evaluation date (the entry with the latest `EffectiveDate` not after "
        "it, whatever earlier rolls happened), or the roll staged before it. The expiry is "
        "read from the certificate file, else from the `Get-CsCertificate` entry. " + VERSIONS_TEXT
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
    fix="\n".join(
        [
            "# roll the certificate in again, two days ahead and at least 24 hours before the",
            "# replaced one expires. $thumbprint: the rolled certificate; $notAfter: when the",
            "# certificate it replaces expires",
            "$thumbprint = '9F8E7D6C5B4A39281706F5E4D3C2B1A09F8E7D6C'",
            "$notAfter = [datetime]'2028-01-15T14:00:00Z'",
            "$effective = (Get-Date).AddDays(2)",
            "if ($effective -gt $notAfter.AddHours(-24)) { $effective = $notAfter.AddHours(-24) }",
            lync_roll_line("$thumbprint", "$effective"),
        ]
    ),
    references=(ref.STAGE_CERTS_SFB, ref.ASSIGN_CERT_SFB),
)

_ROLL_MARGIN = timedelta(hours=24)
Roll = tuple[Located[datetime], Seen[datetime]]
"""A roll's effective date and the NotAfter of the certificate it replaces."""


def _rolls(model: Model, ctx: RuleContext) -> dict[tuple[str, str], list[Roll]]:
    """Return every staged roll by (rolled, replaced) thumbprints, once per export staging it.

    Each export's entries are ordered around the evaluation date: the entry in force,
    then the staged rolls by effective date; each roll replaces the entry before it.
    """
    scope = {item.thumbprint: item for item in scoped_certificates(model, ctx.now)}
    rolls: dict[tuple[str, str], list[Roll]] = {}
    for line in export_timelines(model, ctx.now):
        chain = line.chain
        for replaced, roll in pairwise(chain):
            if roll.effective_date is None:
                continue
            rolled, current = thumbprint_of(roll.thumbprint), thumbprint_of(replaced.thumbprint)
            item = scope.get(current)
            expiry = not_after(item) if item is not None and current != rolled else None
            if expiry is not None:
                rolls.setdefault((rolled, current), []).append((roll.effective_date, expiry))
    return rolls


def _fix(rolled: str, expiry: datetime, ctx: RuleContext) -> str:
    """Stage the roll again at a date that leaves 24 hours, or put it in force at once."""
    when = roll_date(ctx.now, expiry)
    if when is None:
        return "\n".join(
            [
                "# under 24 hours left: no time for a roll, put the certificate in force at once",
                lync_assign_line(quote(rolled)),
            ]
        )
    return "\n".join(
        [
            "# roll it in again, at least 24 hours before the replaced certificate expires",
            lync_roll_line(quote(rolled), ps_date(when)),
        ]
    )


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag a staged OAuthTokenIssuer roll effective under 24 hours before the expiry it covers."""

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
                fix=_fix(rolled, expiry.value, ctx),
            ),
        )

    rolls = _rolls(model, ctx)
    return judge_each(sorted(rolls), rolls.get, report)


RULE = Rule(
    code="CRT014",
    name="roll-too-late",
    severity=Severity.WARNING,
    summary="A staged OAuthTokenIssuer roll becomes effective under 24 hours before expiry",
    check=check,
    doc=DOC,
    requires=(
        any_of(
            Export.CS_CERTIFICATES,
            say="a Get-CsCertificate export (the OAuthTokenIssuer assignments)",
        ),
    ),
)
