"""Read Lync/Skype for Business topologies: published XML and Topology Builder files.

The published form (`Get-CsTopology -AsXml`) names clusters by site and number and
installs services on `ClusterId` elements; the Topology Builder form (`.tbxml`) names
them by GUID and re-declares namespaces on child elements. Both become one `Topology`.
Elements are matched by local name inside the topology namespaces, never by prefix.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from s2slint.findings import Location
from s2slint.loaders.base import InputProblem, LoadContext, LoadResult, Source
from s2slint.loaders.xmldoc import XmlDocument, XmlRejected, local_name, namespace, root_signature
from s2slint.model import Located, Machine, Pool, Topology, host_name_problem

if TYPE_CHECKING:
    from lxml import etree

NS_PREFIX = "urn:schema:Microsoft.Rtc.Management."
PUBLISHED_NS = NS_PREFIX + "Deploy.Topology.2008"
BUILDER_NS = NS_PREFIX + "Deploy.TopologyBuilder.2008"


def _children(element: etree._Element, name: str) -> Iterator[etree._Element]:
    for child in element:
        if isinstance(child.tag, str) and local_name(child) == name:
            yield child


def _first(element: etree._Element, name: str) -> etree._Element | None:
    return next(_children(element, name), None)


def _descendants(element: etree._Element, name: str) -> Iterator[etree._Element]:
    for child in element.iter():
        if isinstance(child.tag, str) and local_name(child) == name:
            yield child


class _TopologyReader:
    """Reads one topology document into the model, keeping attribute positions."""

    def __init__(self, document: XmlDocument) -> None:
        self.document = document

    def attr(self, element: etree._Element, name: str, pointer: str) -> Located[str] | None:
        value = element.get(name)
        if value is None:
            return None
        return Located.at(value, self.document.attribute_location(element, name, pointer))

    def domains(
        self, scope: etree._Element
    ) -> tuple[Located[str] | None, tuple[Located[str], ...]]:
        internal = next(_descendants(scope, "InternalDomains"), None)
        if internal is None:
            return None, ()
        default = self.attr(internal, "DefaultDomain", "/InternalDomains/@DefaultDomain")
        names = []
        for index, domain in enumerate(_children(internal, "InternalDomain")):
            located = self.attr(domain, "Name", f"/InternalDomains/InternalDomain[{index}]/@Name")
            if located is not None:
                names.append(located)
        return default, tuple(names)

    def sites(self, scope: etree._Element) -> tuple[str, ...]:
        names = []
        for site in _descendants(scope, "CentralSite"):
            name = _first(site, "Name")
            names.append((name.text or "").strip() if name is not None else site.get("SiteId", ""))
        return tuple(names)

    def machines(
        self, cluster: etree._Element, fqdn: Located[str], pointer: str
    ) -> tuple[Machine, ...]:
        """Return a cluster's machines; an empty `<Machine/>` is the cluster's one server."""
        machines = []
        for index, machine in enumerate(_descendants(cluster, "Machine")):
            located = self.attr(machine, "Fqdn", f"{pointer}/Machine[{index}]/@Fqdn")
            machines.append(Machine(located if located is not None and located.value else fqdn))
        return tuple(machines)

    def published(self, root: etree._Element) -> Topology:
        """Read `Get-CsTopology -AsXml`: services point at clusters by site and number."""
        roles: dict[tuple[str, str], list[str]] = {}
        for service in _descendants(root, "Service"):
            service_id = _first(service, "ServiceId")
            installed = _first(service, "InstalledOn")
            if service_id is None or installed is None:
                continue
            for target in _children(installed, "ClusterId"):
                key = (target.get("SiteId", ""), target.get("Number", ""))
                roles.setdefault(key, []).append(service_id.get("RoleName", ""))
        pools = []
        for index, cluster in enumerate(_descendants(root, "Cluster")):
            pointer = f"/Topology/Clusters/Cluster[{index}]"
            fqdn = self.attr(cluster, "Fqdn", pointer + "/@Fqdn")
            if fqdn is None:
                continue
            cluster_id = _first(cluster, "ClusterId")
            key = (
                (cluster_id.get("SiteId", ""), cluster_id.get("Number", ""))
                if cluster_id is not None
                else ("", "")
            )
            pools.append(
                Pool(
                    fqdn=fqdn,
                    site=key[0] or None,
                    machines=self.machines(cluster, fqdn, pointer),
                    roles=tuple(roles.get(key, ())),
                )
            )
        default, domains = self.domains(root)
        return Topology(
            form="published",
            loc=self.document.element_location(root, "/Topology"),
            default_domain=default,
            sip_domains=domains,
            sites=self.sites(root),
            pools=tuple(pools),
        )

    def builder(self, root: etree._Element) -> Topology:
        """Read a `.tbxml`: services point at clusters or SQL instances by GUID.

        Only the `NewTopology` part counts; a downloaded file may also hold the
        `OldTopology` it replaces.
        """
        scope = _first(root, "NewTopology")
        scope = scope if scope is not None else root
        owner_of_sql: dict[str, str] = {}
        for cluster in _descendants(scope, "Cluster"):
            for instance in _descendants(cluster, "SqlInstance"):
                owner_of_sql[instance.get("UniqueId", "").lower()] = cluster.get(
                    "UniqueId", ""
                ).lower()
        roles: dict[str, list[str]] = {}
        for service in _descendants(scope, "Service"):
            target = service.get("InstalledOn", "").lower()
            target = owner_of_sql.get(target, target)
            roles.setdefault(target, []).append(service.get("RoleName", ""))
        pools = []
        for index, cluster in enumerate(_descendants(scope, "Cluster")):
            pointer = f"/TopologyBuilder/NewTopology//Cluster[{index}]"
            fqdn = self.attr(cluster, "Fqdn", pointer + "/@Fqdn")
            if fqdn is None:
                continue
            site = cluster.getparent()
            while site is not None and local_name(site) != "CentralSite":
                site = site.getparent()
            pools.append(
                Pool(
                    fqdn=fqdn,
                    site=site.get("SiteId") if site is not None else None,
                    machines=self.machines(cluster, fqdn, pointer),
                    roles=tuple(roles.get(cluster.get("UniqueId", "").lower(), ())),
                )
            )
        default, domains = self.domains(scope)
        return Topology(
            form="topology-builder",
            loc=self.document.element_location(root, "/TopologyBuilder"),
            default_domain=default,
            sip_domains=domains,
            sites=self.sites(scope),
            pools=tuple(pools),
        )


def sniff_topology(source: Source) -> bool:
    """Recognise either topology form by its root element and namespace."""
    signature = root_signature(source.head)
    return signature in (("Topology", PUBLISHED_NS), ("TopologyBuilder", BUILDER_NS))


def load_topology(source: Source, ctx: LoadContext) -> LoadResult:
    """Read a topology file into a `Topology` record."""
    try:
        document = XmlDocument.parse(source)
    except XmlRejected as rejected:
        return LoadResult("topology", problems=(rejected.problem,))
    reader = _TopologyReader(document)
    root = document.root
    if local_name(root) == "TopologyBuilder" and namespace(root) == BUILDER_NS:
        topology, kind = reader.builder(root), "topology-builder"
    else:
        topology, kind = reader.published(root), "topology"
    return LoadResult(kind, (topology,), tuple(host_name_problems(topology)))


def host_name_problems(topology: Topology) -> Iterator[InputProblem]:
    """Report every pool or machine FQDN of a topology that cannot be a host name.

    Exports are matched to servers by these names; a look-alike (a Cyrillic letter,
    a character no host name has) would make them match nothing, silently.
    """
    seen: set[Location] = set()
    for pool in topology.pools:
        for located in (pool.fqdn, *(machine.fqdn for machine in pool.machines)):
            if located.loc in seen or not located.value.strip():
                continue
            seen.add(located.loc)
            problem = host_name_problem(located.value)
            if problem is not None:
                yield InputProblem(
                    "INP001",
                    f'FQDN "{located.value}" is not a valid host name: {problem}',
                    located.loc,
                )


def topology_location(topology: Topology) -> Location:
    """Return where a finding about the topology as a whole should point."""
    return topology.default_domain.loc if topology.default_domain else topology.loc
