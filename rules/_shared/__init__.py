"""Helpers several rule families share; never a rule, never imports a rule module.

`urls` reads the URLs of the integration, `integration` tells which partner
applications and servers make up the Lync<->Exchange/SharePoint trust, `references`
names each Microsoft article once. `powershell` writes the bundle's values into the
fixes findings print, `autodiscover` names the host Exchange's Autodiscover answers on.
"""
