"""Catalogue v2's trust model: OAuth servers, on-premises Exchange vs Exchange Online."""

from __future__ import annotations

import pytest

from rules._shared import integration
from s2slint.findings import Location
from s2slint.model import (
    LYNC_APP_ID,
    ExchangePartnerApplication,
    Located,
    LyncPartnerApplication,
    Model,
    Pool,
)

HERE = Location("exports/x.xml", 1, 1)


def located(value: object) -> Located:  # type: ignore[type-arg]
    return Located.at(value, HERE)


def pool(*roles: str) -> Pool:
    return Pool(located("pool.litwareinc.com"), "Redmond", (), roles)


@pytest.mark.parametrize(
    ("roles", "oauth_server", "director", "branch"),
    [
        (("UserServices", "Registrar", "WebServices"), True, False, False),  # Front End pool
        (("Registrar", "WebServices"), True, True, False),  # Director pool
        (("Registrar", "MediationServer"), False, False, True),  # Survivable Branch Appliance
        (("EdgeServer",), False, False, False),
        (("UserStore",), False, False, False),
    ],
)
def test_which_pools_are_oauth_servers(
    roles: tuple[str, ...], oauth_server: bool, director: bool, branch: bool
) -> None:
    subject = pool(*roles)
    assert subject.is_front_end is oauth_server
    assert subject.is_director is director
    assert subject.is_branch_appliance is branch


def lync_exchange_app(**changes: object) -> LyncPartnerApplication:
    values: dict[str, object] = {
        "loc": HERE,
        "identity": located("microsoft.exchange"),
        "application_identifier": located("00000002-0000-0ff1-ce00-000000000000"),
        "application_trust_level": located("Full"),
        "metadata_url": None,
        "enabled": located(True),
        "realm": None,
    }
    values.update(changes)
    return LyncPartnerApplication(**values)  # type: ignore[arg-type]


def exchange_app(
    name: str, *, url: str | None, use_auth_server: bool
) -> ExchangePartnerApplication:
    return ExchangePartnerApplication(
        loc=HERE,
        name=located(name),
        application_identifier=located(LYNC_APP_ID),
        auth_metadata_url=located(url) if url is not None else None,
        realm=None,
        enabled=located(True),
        use_auth_server=located(use_auth_server),
    )


SFB_LEGACY = exchange_app("SfBLegacy", url=None, use_auth_server=True)
LYNC_ENTERPRISE = exchange_app(
    "LyncEnterprise-0a1b2c3d",
    url="https://pool01.litwareinc.com/metadata/json/1",
    use_auth_server=False,
)


def test_use_oauth_server_is_read_from_auth_token() -> None:
    online = lync_exchange_app(auth_token=located("UseOAuthServer"))
    onprem = lync_exchange_app(
        metadata_url=located("https://autodiscover.litwareinc.com/autodiscover/metadata/json/1")
    )
    assert online.uses_oauth_server is True
    assert onprem.uses_oauth_server is False
    assert lync_exchange_app().uses_oauth_server is None


def test_exchange_online_alone_is_not_onprem_integration() -> None:
    model = Model(
        lync_partner_applications=(lync_exchange_app(auth_token=located("UseOAuthServer")),),
        exchange_partner_applications=(SFB_LEGACY,),
    )
    assert integration.exchange_online_integration(model)
    assert not integration.onprem_exchange_integration(model)
    assert integration.is_sfb_online_app(SFB_LEGACY)


def test_sfblegacy_is_no_trust_for_onprem_lync() -> None:
    model = Model(
        lync_partner_applications=(
            lync_exchange_app(
                metadata_url=located(
                    "https://autodiscover.litwareinc.com/autodiscover/metadata/json/1"
                )
            ),
        ),
        exchange_partner_applications=(SFB_LEGACY,),
    )
    assert integration.onprem_exchange_configured_on_lync(model)
    assert integration.onprem_lync_apps_on_exchange(model) == []
    with_enterprise = Model(exchange_partner_applications=(SFB_LEGACY, LYNC_ENTERPRISE))
    assert integration.onprem_lync_apps_on_exchange(with_enterprise) == [LYNC_ENTERPRISE]
    assert integration.onprem_exchange_integration(with_enterprise)
