"""Both topology forms: the published XML and Topology Builder's .tbxml."""

from __future__ import annotations

from pathlib import Path

from conftest import make_source
from hypothesis import given
from hypothesis import strategies as st
from properties import QUIET_PATCH_SUGGESTIONS, property_settings

from s2slint.loaders.base import LoadContext
from s2slint.loaders.topology import load_topology, sniff_topology
from s2slint.model import Model, Topology

pytestmark = QUIET_PATCH_SUGGESTIONS

PUBLISHED = """<Topology xmlns="urn:schema:Microsoft.Rtc.Management.Deploy.Topology.2008" Signature="b7a1c2d3-0000-4000-8000-000000000001">
  <InternalDomains AllowAllDomains="false" DefaultDomain="litwareinc.com">
    <InternalDomain Name="litwareinc.com" Authoritative="false" AllowSubDomains="false" />
    <InternalDomain Name="fabrikam.com" Authoritative="false" AllowSubDomains="false" />
  </InternalDomains>
  <Sites>
    <CentralSite SiteId="1"><Name>Atlanta</Name><Location /></CentralSite>
  </Sites>
  <Clusters>
    <Cluster Fqdn="atl-cs-001.litwareinc.com" RequiresReplication="true" RequiresSetup="true">
      <ClusterId SiteId="1" Number="1" />
      <Machine OrdinalInCluster="1"
               Fqdn="atl-fe-01.litwareinc.com"
               FaultDomain="atl-fe-01.litwareinc.com" UpgradeDomain="atl-fe-01.litwareinc.com">
        <NetInterface InterfaceSide="Primary" InterfaceNumber="1" IPAddress="0.0.0.0" />
      </Machine>
      <Machine OrdinalInCluster="2" Fqdn="atl-fe-02.litwareinc.com" />
    </Cluster>
    <Cluster Fqdn="atl-sql-001.litwareinc.com" RequiresReplication="false" RequiresSetup="true">
      <ClusterId SiteId="1" Number="2" />
      <Machine OrdinalInCluster="1" Fqdn="atl-sql-001.litwareinc.com" />
    </Cluster>
  </Clusters>
  <Services>
    <Service RoleVersion="1" ServiceVersion="7">
      <ServiceId SiteId="1" RoleName="UserServices" Instance="1" />
      <InstalledOn><ClusterId SiteId="1" Number="1" /></InstalledOn>
    </Service>
    <Service RoleVersion="1" ServiceVersion="7">
      <ServiceId SiteId="1" RoleName="UserStore" Instance="1" />
      <InstalledOn><ClusterId SiteId="1" Number="2" /></InstalledOn>
    </Service>
  </Services>
</Topology>
"""


def _load(text: str | bytes, encoding: str = "utf-16") -> Topology:
    source = make_source(text, "lync/topology.xml", encoding)
    assert sniff_topology(source)
    result = load_topology(source, LoadContext())
    assert result.problems == ()
    (topology,) = result.records
    assert isinstance(topology, Topology)
    return topology


def test_published_topology_domains_pools_and_front_ends() -> None:
    topology = _load(PUBLISHED)
    assert topology.form == "published"
    assert topology.default_domain is not None
    assert topology.default_domain.value == "litwareinc.com"
    assert (topology.default_domain.loc.line, topology.default_domain.loc.column) == (2, 44)
    assert [d.value for d in topology.sip_domains] == ["litwareinc.com", "fabrikam.com"]
    assert topology.sites == ("Atlanta",)
    pool, sql = topology.pools
    assert pool.is_front_end and not sql.is_front_end
    model = Model.build([], [topology])
    assert list(model.front_end_servers()) == [
        "atl-fe-01.litwareinc.com",
        "atl-fe-02.litwareinc.com",
    ]
    first = pool.machines[0].fqdn
    assert (first.loc.line, first.loc.column) == (13, 16)  # the attribute's own line


def test_genuine_topology_builder_file(samples: Path) -> None:
    topology = _load((samples / "sfb2015-Contoso.tbxml").read_bytes())
    assert topology.form == "topology-builder"
    assert topology.default_domain is not None and topology.default_domain.value == "contoso.com"
    by_fqdn = {p.fqdn.value: p for p in topology.pools}
    front_end = by_fqdn["frontendpool.contoso.com"]
    assert front_end.is_front_end
    assert {"UserServices", "Registrar", "WebServices"} <= set(front_end.roles)
    assert [m.fqdn.value for m in front_end.machines] == [
        f"xfrontend{i}.contoso.com" for i in range(1, 5)
    ]
    sql = by_fqdn["xSQL1.contoso.com"]
    assert not sql.is_front_end and "UserStore" in sql.roles  # via the SQL instance GUID
    office = by_fqdn["xOffice1.contoso.com"]
    # A single-machine cluster's empty <Machine/> is the cluster's own server.
    assert [m.fqdn.value for m in office.machines] == ["xOffice1.contoso.com"]
    assert not by_fqdn["edgepool.contoso.com"].is_front_end


def test_topology_attribution_of_per_server_exports_by_folder() -> None:
    from s2slint.model import CsCertificate

    entry = CsCertificate(
        loc=make_source("x").location(),
        use=None,
        thumbprint=None,
        subject=None,
        issuer=None,
        not_before=None,
        not_after=None,
        alternative_names=(),
        effective_date=None,
        computer_name=None,
        source_dirs=("servers", "ATL-FE-02.litwareinc.com"),
    )
    model = Model.build([], [_load(PUBLISHED), entry])
    assert model.cs_certificates[0].server == "atl-fe-02.litwareinc.com"


def test_other_xml_is_not_a_topology() -> None:
    assert not sniff_topology(make_source('<Topology xmlns="urn:other"/>'))


def test_an_attributed_entry_differs_from_the_exported_one_in_its_server_alone() -> None:
    import dataclasses
    from datetime import UTC, datetime

    from s2slint.findings import Location
    from s2slint.model import CsCertificate, Located

    loc = Location("servers/fe/certificates.xml", 3, 5)
    values: dict[str, object] = {}
    for number, item in enumerate(dataclasses.fields(CsCertificate)):
        # A distinct value in every field, so that a field left behind shows.
        if item.name == "loc":
            values[item.name] = loc
        elif item.name in ("alternative_names", "source_dirs"):
            values[item.name] = (f"value-{number}",)
        elif item.name in ("not_before", "not_after", "effective_date"):
            values[item.name] = Located.at(datetime(2026, 1, number, tzinfo=UTC), loc)
        elif item.name == "server":
            values[item.name] = None
        else:
            values[item.name] = Located.at(f"value-{number}", loc)
    entry = CsCertificate(**values)  # type: ignore[arg-type]
    assert entry.attributed("fe.litwareinc.com") == dataclasses.replace(
        entry, server="fe.litwareinc.com"
    )


@property_settings(800)
@given(
    st.one_of(
        st.text(alphabet="abcxyz019-_.", max_size=80),
        st.lists(st.text(alphabet="ab9-_", min_size=0, max_size=66), max_size=5).map(".".join),
        st.text(max_size=20),
    )
)
def test_the_quick_host_name_check_agrees_with_the_label_by_label_one(text: str) -> None:
    """Every server name of an estate takes the one-match path; it must judge as the loop does."""
    from s2slint.model import _host_name_problem, host_name_problem

    assert host_name_problem(text) == _host_name_problem(text)
    for label in ("xn--80ak6aa92e", "a" * 64, "a." * 127 + "b", "-a", "a-", "a..b", " a "):
        assert host_name_problem(label) == _host_name_problem(label)


@property_settings(600)
@given(
    st.one_of(
        st.text(alphabet="0123456789abcdefABCDEF", max_size=44),
        st.text(alphabet="0123456789abcdefABCDEFxyz :-\u200b\uff10\u0660", max_size=44),
        st.text(max_size=20),
    )
)
def test_a_thumbprint_of_hex_digits_alone_is_canonical_as_the_pattern_makes_it(text: str) -> None:
    """Thumbprints of hex digits alone skip the pattern; the result must be the pattern's."""
    import re

    from s2slint.model import normalize_thumbprint

    assert normalize_thumbprint(text) == re.sub(r"[^0-9A-Fa-f]", "", text).upper()
