"""TOP: the Lync topology (`Get-CsTopology -AsXml` or a Topology Builder `.tbxml`).

One module per rule; the rules share nothing but the model and `rules._shared`.
"""

from __future__ import annotations

from . import default_sip_domain_missing, front_end_without_evidence

RULES = (default_sip_domain_missing.RULE, front_end_without_evidence.RULE)
"""The TOP rules, in code order."""
