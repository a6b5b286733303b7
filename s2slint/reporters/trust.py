"""The trust relationships of a deployment, as the exports show them, for the audit picture.

Nodes are the parties: each Lync Front End (or Director) pool, Exchange on-premises,
SharePoint, Exchange Online and Microsoft's token service (ACS / Entra ID). Edges are
trusts, drawn from the party that holds the trust object to the party it trusts: a
partner application (Lync's `Get-CsPartnerApplication`, Exchange's
`Get-PartnerApplication`), an OAuth server (`Get-CsOAuthServer`), an auth server
(`Get-AuthServer`) or a SharePoint trusted token issuer.

An edge's status comes from the findings whose location lies inside its trust object
(the rules report a partner application's fault at the application), or whose logical
key names a trust that is missing. This module reads the model and the findings only,
never the rules: the picture must agree with the findings, not re-judge the exports.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from s2slint.findings import Finding, Location
from s2slint.model import (
    EXCHANGE_APP_ID,
    LYNC_APP_ID,
    ExchangePartnerApplication,
    LyncPartnerApplication,
    Model,
    Pool,
    normalize_fqdn,
)

OK = "ok"
FAILED = "failed"
ACCEPTED = "accepted"
NOT_EVALUATED = "not evaluated"
_ORDER = {FAILED: 0, NOT_EVALUATED: 1, ACCEPTED: 2, OK: 3}

LYNC = "lync"
EXCHANGE = "exchange"
SHAREPOINT = "sharepoint"
EXCHANGE_ONLINE = "exchange-online"
TOKEN_SERVICE = "token-service"
MAX_POOLS = 8
"""Pools drawn one by one; more are summed up in one line (large estates)."""


@dataclass(frozen=True, slots=True)
class Node:
    """A party: `id` is stable (`pool:<fqdn>`, `exchange`, ...), `status` judged from findings."""

    id: str
    title: str
    detail: str
    status: str
    codes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Edge:
    """A trust from `source` to `target` (party ids; `lync` is every Lync pool at once)."""

    source: str
    target: str
    objects: tuple[str, ...]
    status: str
    codes: tuple[str, ...] = ()
    note: str = ""

    @property
    def words(self) -> str:
        """Return the status as the picture and its description write it."""
        said = ", ".join(part for part in (self.note, ", ".join(self.codes)) if part)
        return f"{self.status}: {said}" if said else self.status


@dataclass(frozen=True, slots=True)
class TrustGraph:
    """The parties and trusts of one bundle."""

    pools: tuple[Node, ...]
    more_pools: int
    partners: tuple[Node, ...]
    edges: tuple[Edge, ...]

    def node(self, node_id: str) -> Node | None:
        """Return a party by id (pools and partners)."""
        return next((n for n in (*self.pools, *self.partners) if n.id == node_id), None)


def inside(location: Location, anchor: Location) -> bool:
    """Tell whether `location` points into the object that starts at `anchor`.

    Objects of an export are named by a pointer (`obj[0]`); their properties extend it
    (`obj[0].ApplicationTrustLevel`). An anchor without a pointer (a certificate file)
    holds everything in its file.
    """
    if location.path != anchor.path:
        return False
    if anchor.pointer is None:
        return True
    pointer = location.pointer or ""
    return pointer == anchor.pointer or pointer.startswith(
        (anchor.pointer + ".", anchor.pointer + "[")
    )


def _status(kept: Sequence[Finding], accepted: Sequence[Finding]) -> tuple[str, tuple[str, ...]]:
    if kept:
        return FAILED, tuple(sorted({f.code for f in kept}))
    if accepted:
        return ACCEPTED, tuple(sorted({f.code for f in accepted}))
    return OK, ()


class _Judge:
    """Attribute findings (kept and accepted) to trust objects by location or key."""

    def __init__(self, findings: Iterable[Finding], accepted: Iterable[Finding]) -> None:
        self.kept = tuple(findings)
        self.accepted = tuple(accepted)

    def at(
        self, anchors: Iterable[Location], keys: Iterable[str] = ()
    ) -> tuple[str, tuple[str, ...]]:
        places = tuple(anchors)
        wanted = {key.lower() for key in keys}

        def hits(finding: Finding) -> bool:
            return finding.key.lower() in wanted or any(inside(finding.location, a) for a in places)

        return _status([f for f in self.kept if hits(f)], [f for f in self.accepted if hits(f)])


def _pool_node(pool: Pool, model: Model, judge: _Judge) -> Node:
    machines = {normalize_fqdn(m.fqdn.value) for m in pool.machines}
    anchors = [pool.fqdn.loc, *(m.fqdn.loc for m in pool.machines)]
    anchors += [c.loc for c in model.cs_certificates if c.server in machines]
    anchors += [c.loc for c in model.certificates if c.server in machines]
    anchors += [c.loc for c in model.oauth_configurations]  # global: every pool uses it
    status, codes = judge.at(anchors)
    kind = "Director pool" if pool.is_director else "Front End pool"
    count = len(pool.machines)
    return Node(
        f"pool:{normalize_fqdn(pool.fqdn.value)}",
        pool.fqdn.value,
        f"{kind}, {count} server{'s' if count != 1 else ''}",
        status,
        codes,
    )


def _lync_nodes(model: Model, judge: _Judge) -> tuple[tuple[Node, ...], int]:
    pools = sorted((p for p in model.pools() if p.is_front_end), key=lambda p: p.fqdn.value)
    if not pools:
        anchors = [c.loc for c in model.oauth_configurations]
        status, codes = judge.at(anchors)
        if not model.topologies:
            status = FAILED if status == FAILED else NOT_EVALUATED
        detail = "no topology exported" if not model.topologies else "no Front End pool"
        return (Node("pool:", "Lync Server", detail, status, codes),), 0
    nodes = tuple(_pool_node(p, model, judge) for p in pools[:MAX_POOLS])
    return nodes, max(0, len(pools) - MAX_POOLS)


def _names(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v))


def build(model: Model, findings: Sequence[Finding], accepted: Sequence[Finding]) -> TrustGraph:
    """Return the parties and trusts of the bundle, each judged from the findings."""
    judge = _Judge(findings, accepted)
    pools, more = _lync_nodes(model, judge)
    lync_apps = model.lync_partner_applications
    on_premises = [
        a for a in lync_apps if a.product == EXCHANGE and a.uses_oauth_server is not True
    ]
    hybrid = [a for a in lync_apps if a.product == EXCHANGE and a.uses_oauth_server is True]
    sharepoint = [a for a in lync_apps if a.product == SHAREPOINT]
    exchange_trusts_lync = [
        a
        for a in model.exchange_partner_applications
        if a.application_identifier is not None
        and a.application_identifier.value.lower() == LYNC_APP_ID
        and not (  # Skype for Business Online's application (SfBLegacy), not Lync's
            a.use_auth_server is not None
            and a.use_auth_server.value
            and not (a.auth_metadata_url and a.auth_metadata_url.value)
        )
    ]
    exchange_trusts_online = [
        a
        for a in model.exchange_partner_applications
        if a.application_identifier is not None
        and a.application_identifier.value.lower() == EXCHANGE_APP_ID
    ]
    exchange_exported = bool(
        model.exchange_servers
        or model.exchange_auth_configs
        or model.exchange_partner_applications
        or model.exchange_auth_servers
    )

    edges: list[Edge] = []
    partners: list[Node] = []

    # Exchange on-premises and the two halves of its trust with Lync.
    if exchange_exported or on_premises:
        anchors = [a.loc for a in model.exchange_auth_configs]
        anchors += [s.loc for s in model.exchange_servers]
        anchors += [c.loc for c in model.client_access_services]
        exchange_names = {normalize_fqdn(s.fqdn.value) for s in model.exchange_servers if s.fqdn}
        anchors += [c.loc for c in model.certificates if c.server in exchange_names]
        status, codes = judge.at(anchors)
        if not exchange_exported:
            status = FAILED if status == FAILED else NOT_EVALUATED
        servers = [s.name.value for s in model.exchange_servers]
        detail = ", ".join(servers[:2]) + (f" +{len(servers) - 2}" if len(servers) > 2 else "")
        partners.append(Node(EXCHANGE, "Exchange Server", detail or "on-premises", status, codes))
        if on_premises or exchange_trusts_lync:
            edges += _exchange_pair(model, on_premises, exchange_trusts_lync, judge)

    # SharePoint: Lync trusts it through a partner application; SharePoint trusts Lync
    # through a trusted security token issuer, which no export s2slint reads yet holds.
    if sharepoint:
        partners.append(Node(SHAREPOINT, "SharePoint Server", "on-premises", NOT_EVALUATED))
        edges.append(
            _edge(
                LYNC,
                SHAREPOINT,
                [a.name for a in sharepoint],
                [a.loc for a in sharepoint],
                judge,
                exported=True,
            )
        )
        edges.append(
            Edge(
                SHAREPOINT,
                LYNC,
                (),
                NOT_EVALUATED,
                note="no Get-SPTrustedSecurityTokenIssuer export",
            )
        )

    # Microsoft 365: Exchange Online and the token service that issues cross-premises tokens.
    if hybrid or exchange_trusts_online:
        partners.append(Node(EXCHANGE_ONLINE, "Exchange Online", "Microsoft 365", NOT_EVALUATED))
        if hybrid:
            edges.append(
                _edge(
                    LYNC,
                    EXCHANGE_ONLINE,
                    [a.name for a in hybrid],
                    [a.loc for a in hybrid],
                    judge,
                    exported=True,
                )
            )
        if exchange_trusts_online:
            edges.append(
                _edge(
                    EXCHANGE,
                    EXCHANGE_ONLINE,
                    [a.name.value if a.name else "(unnamed)" for a in exchange_trusts_online],
                    [a.loc for a in exchange_trusts_online],
                    judge,
                    exported=True,
                )
            )
    if model.lync_oauth_servers or model.exchange_auth_servers:
        partners.append(
            Node(TOKEN_SERVICE, "Microsoft token service", "ACS / Entra ID", NOT_EVALUATED)
        )
        # Lync names its OAuth servers by Identity, Exchange its auth servers by Name.
        token_trusts = (
            (LYNC, [(s.identity, s.loc) for s in model.lync_oauth_servers]),
            (EXCHANGE, [(s.name, s.loc) for s in model.exchange_auth_servers]),
        )
        for side, trusted in token_trusts:
            if trusted:
                names = [name.value if name else "(unnamed)" for name, _ in trusted]
                locations = [loc for _, loc in trusted]
                edges.append(_edge(side, TOKEN_SERVICE, names, locations, judge, exported=True))
    return TrustGraph(pools, more, tuple(partners), tuple(edges))


def _exchange_pair(
    model: Model,
    lync_side: Sequence[LyncPartnerApplication],
    exchange_side: Sequence[ExchangePartnerApplication],
    judge: _Judge,
) -> list[Edge]:
    """Return both halves of the Lync-Exchange trust (one may be missing or unexported)."""
    return [
        _edge(
            LYNC,
            EXCHANGE,
            [a.name for a in lync_side],
            [a.loc for a in lync_side],
            judge,
            exported=bool(model.lync_partner_applications),
            missing_key="partner-application:exchange",
            export="Get-CsPartnerApplication",
        ),
        _edge(
            EXCHANGE,
            LYNC,
            [a.name.value if a.name else "(unnamed)" for a in exchange_side],
            [a.loc for a in exchange_side],
            judge,
            exported=bool(model.exchange_partner_applications),
            missing_key="exchange-partner-application:lync",
            export="Exchange Get-PartnerApplication",
        ),
    ]


def _edge(
    source: str,
    target: str,
    names: Sequence[str],
    anchors: Sequence[Location],
    judge: _Judge,
    *,
    exported: bool,
    missing_key: str = "",
    export: str = "",
) -> Edge:
    """Judge one trust: its objects' findings, or why it is missing or unknown."""
    if names:
        status, codes = judge.at(anchors)
        return Edge(source, target, _names(names), status, codes)
    if not exported:
        return Edge(source, target, (), NOT_EVALUATED, note=f"no {export} export")
    status, codes = judge.at((), keys=(missing_key,) if missing_key else ())
    if status == OK:  # absent, and no rule said so: shown, but not as a finding
        return Edge(source, target, (), NOT_EVALUATED, note="missing; no rule judged it")
    return Edge(source, target, (), status, codes, note="missing")


def worst(statuses: Iterable[str]) -> str:
    """Return the worst of some statuses (failed, not evaluated, accepted, ok)."""
    return min(statuses, key=lambda s: _ORDER[s], default=OK)
