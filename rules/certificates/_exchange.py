"""Which Exchange server a `Get-ExchangeCertificate` export came from."""

from __future__ import annotations

from collections.abc import Iterable

from s2slint.model import Certificate, ExchangeServer, Model, normalize_fqdn

from ._scope import FILE_ORIGINS


def is_edge(server: ExchangeServer) -> bool:
    """Tell whether an Exchange server is an Edge Transport server (no Auth certificate)."""
    roles = {role.strip().lower() for role in server.roles if role.strip()}
    return bool(roles) and roles <= {"edge", "edgetransport"}


def match_exchange_server(name: str, servers: Iterable[ExchangeServer]) -> ExchangeServer | None:
    """Return the Exchange server a certificate export's server name (FQDN or NetBIOS) is."""
    name = normalize_fqdn(name)
    for server in servers:
        fqdn = normalize_fqdn(server.fqdn.value) if server.fqdn is not None else ""
        short = server.name.value.strip().lower()
        if name in (fqdn, short) or name.split(".")[0] == short:
            return server
    return None


def exchange_certificates_by_server(
    model: Model,
) -> dict[str, tuple[ExchangeServer | None, list[Certificate]]]:
    """Group the Exchange certificate exports by the Exchange server they came from.

    With a `Get-ExchangeServer` export, only its (non-Edge) servers count; without one,
    every server a certificate export is attributed to.
    """
    groups: dict[str, tuple[ExchangeServer | None, list[Certificate]]] = {}
    for certificate in model.certificates:
        if certificate.server is None or certificate.origin in FILE_ORIGINS:
            continue
        server: ExchangeServer | None = None
        key = normalize_fqdn(certificate.server)
        if model.exchange_servers:
            server = match_exchange_server(key, model.exchange_servers)
            if server is None or is_edge(server):
                continue
            key = normalize_fqdn(server.fqdn.value) if server.fqdn else server.name.value.lower()
        groups.setdefault(key, (server, []))[1].append(certificate)
    return groups
