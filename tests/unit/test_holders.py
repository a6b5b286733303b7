"""Internal holders are dataclasses without a generated `__eq__`, `__hash__` or `__repr__`.

A dataclass's methods are written as source and compiled when its module is imported: on
Python 3.11 a frozen, slotted class costs about 0.6 ms, a third of it for the
comparison, hash and repr. Every run imports about a hundred of them, so the classes
that only carry values from one step to the next inside s2slint (a walk's state, a
loader's intermediate objects, a run's stages, a rule's options and private records) are
declared `eq=False, repr=False`: nothing compares, hashes or prints them, and they
compare by identity like any object. Types plugins or caches rely on keep both: rules
compare `Located` values and outcomes, and the run cache keys on the `repr` of the
configuration, the limits, the selection and the inputs.
"""

from __future__ import annotations

import dataclasses
import importlib

import pytest

HOLDERS = {
    "s2slint.bundle": ("BundleFile", "SkippedEntry", "_Exclude", "_Folder", "_Walk"),
    "s2slint.config": ("RuleSettings",),
    "s2slint.engine": ("Prepared",),
    "s2slint.engine.checking": ("Evaluation", "Settled"),
    "s2slint.engine.inputs": ("Bundle",),
    "s2slint.engine.learned": ("Learned",),
    "s2slint.engine.plan": ("RunPlan",),
    "s2slint.engine.request": ("RunRequest",),
    "s2slint.fileread": ("Unread",),
    "s2slint.gitignore": ("_Level", "GitIgnore"),
    "s2slint.loaders.certs": ("_Block", "_Pending", "_Collected"),
    "s2slint.loaders.clixml": ("ClixmlDocument",),
    "s2slint.loaders.derpeek": ("Header",),
    "s2slint.loaders.powershell": ("ObjectKind", "_Shape"),
    "s2slint.loaders.xmldoc": ("XmlDocument",),
    "s2slint.loaders.zone.full": ("ParseFailure", "Parsed"),
    "s2slint.loaders.zone.plain": ("PlainZone",),
    "s2slint.loaders.zone.scan": ("Scan",),
    "s2slint.registry": ("Registry", "PluginFailure"),
    "s2slint.suppressions": ("InlineComment", "Suppression", "Applied"),
    "s2slint.rules._shared.integration": ("MetadataUrl",),
    "s2slint.rules._shared.oauth_certs": ("Timeline", "LyncOAuthCertificates"),
    "s2slint.rules.certificates._fixes": ("FixContext",),
    "s2slint.rules.certificates._judge": ("Seen",),
    "s2slint.rules.certificates._scope": ("ScopedCertificate", "Named"),
    "s2slint.rules.certificates.auth_next_cert_missing": ("Options",),
    "s2slint.rules.certificates.cert_expiring_soon": ("Options",),
    "s2slint.rules.certificates.weak_key": ("Options",),
    "s2slint.rules.dns._evidence": (
        "AutodiscoverHost",
        "HostEvidence",
        "Resolution",
        "KnownMachine",
    ),
    "s2slint.rules.dns.metadata_host_unresolvable": ("MetadataUser",),
    "s2slint.rules.features._common": ("Gap",),
    "s2slint.rules.oauth.service_name_mismatch": ("_Side",),
    "s2slint.rules.partner_apps._common": ("PartnerUrl",),
    "s2slint.rules.partner_apps.duplicate_partner_app": ("_Entry",),
    "s2slint.rules.partner_apps.exchange_metadata_host_mismatch": ("_ExchangeHosts",),
    "s2slint.rules.partner_apps.wrong_application_identifier": ("_Candidate",),
}
"""The internal holders, by module."""

VALUE_TUPLES = {"s2slint.loaders.clixml": ("PSProperty", "PSObject")}
"""Holders made once per value a file holds: named tuples, a third of the cost to make.

The CLIXML reader makes a `PSProperty` for every value and a `PSObject` for every object
(some 100,000 for a 2,000-server estate), and a frozen dataclass's `__init__` sets each
field through `object.__setattr__`: as named tuples they cost a tenth less of reading
every Front End's certificate export.
"""

COMPARED = {
    "s2slint.config": ("Config", "SuppressEntry", "BundleEntry"),
    "s2slint.findings": ("Location", "Issue", "Finding", "Suppressed"),
    "s2slint.inputfiles": ("InputFile",),
    "s2slint.limits": ("Limits",),
    "s2slint.loaders.base": ("InputProblem", "LoadContext", "LoadResult"),
    "s2slint.model": ("Located", "Model", "CsCertificate", "DnsRecord", "DnsZone"),
    "s2slint.rule": ("Evaluated", "NotEvaluated", "NotApplicable", "Rule", "RuleDoc"),
    "s2slint.selection": ("Selection",),
}
"""Types that plugins, reports or the caches compare or print: they keep value semantics."""


def classes(table: dict[str, tuple[str, ...]]) -> list[type]:
    return [
        getattr(importlib.import_module(module), name)
        for module, names in table.items()
        for name in names
    ]


@pytest.mark.parametrize("cls", classes(HOLDERS), ids=lambda c: c.__qualname__)
def test_an_internal_holder_has_no_generated_comparison_or_repr(cls: type) -> None:
    assert dataclasses.is_dataclass(cls)
    params = cls.__dataclass_params__  # type: ignore[attr-defined]
    assert not params.eq and not params.repr
    assert "__eq__" not in vars(cls) and "__repr__" not in vars(cls)
    assert cls.__hash__ is object.__hash__


@pytest.mark.parametrize("cls", classes(COMPARED), ids=lambda c: c.__qualname__)
def test_a_compared_or_printed_type_keeps_value_semantics(cls: type) -> None:
    params = cls.__dataclass_params__  # type: ignore[attr-defined]
    assert params.eq and params.repr and params.frozen
    assert "__eq__" in vars(cls) and "__repr__" in vars(cls)


@pytest.mark.parametrize("cls", classes(VALUE_TUPLES), ids=lambda c: c.__qualname__)
def test_a_per_value_holder_is_an_immutable_named_tuple(cls: type) -> None:
    assert issubclass(cls, tuple) and not dataclasses.is_dataclass(cls)
    fields = cls._fields  # type: ignore[attr-defined]
    made = cls(*[None] * len(fields))
    with pytest.raises(AttributeError):
        setattr(made, fields[0], "changed")
