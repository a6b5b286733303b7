"""Export snippets several CRT rules show as their bad and good examples.

They are `Export-Clixml` text as Lync and Exchange write it, trimmed to the properties
that matter; the rules fill in thumbprints, servers and dates.
"""

from __future__ import annotations

OAUTH_CERT_EXPORT = """<Obj RefId="3">
  <TN RefId="1"><T>Microsoft.Rtc.Management.Deployment.CertificateReference</T><T>System.Object</T></TN>
  <Props>
    <S N="Thumbprint">{thumbprint}</S>
    <Obj N="Use" RefId="4"><TN RefId="2"><T>Microsoft.Rtc.Management.Deployment.CertType</T>
      <T>System.Enum</T><T>System.ValueType</T><T>System.Object</T></TN>
      <ToString>OAuthTokenIssuer</ToString><I32>13</I32></Obj>
  </Props>
  <MS><S N="PSComputerName">{server}</S></MS>
</Obj>"""
"""A `Get-CsCertificate` OAuthTokenIssuer entry of a Front End (remote session)."""

OTHER_CERT_EXPORT = """<Obj RefId="0">
  <TN RefId="0"><T>Microsoft.Rtc.Management.Deployment.CertificateReference</T><T>System.Object</T></TN>
  <Props>
    <S N="Thumbprint">{thumbprint}</S>
    <Obj N="Use" RefId="1"><TN RefId="1"><T>Microsoft.Rtc.Management.Deployment.CertType</T>
      <T>System.Enum</T><T>System.ValueType</T><T>System.Object</T></TN>
      <ToString>{use}</ToString><I32>{value}</I32></Obj>
  </Props>
</Obj>"""
"""A `Get-CsCertificate` entry for another use (Default, WebServicesInternal...)."""

ROLL_EXPORT = """<Obj RefId="5">
  <TNRef RefId="0" />
  <Props>
    <DT N="NotAfter">{not_after}</DT>
    <S N="Thumbprint">{thumbprint}</S>
    <{effective}
    <Ref N="Use" RefId="1" />
  </Props>
</Obj>"""
"""A staged `Get-CsCertificate` OAuthTokenIssuer entry (`effective` is the date element)."""

AUTH_CONFIG = """<Obj RefId="0">
  <TN RefId="0"><T>Microsoft.Exchange.Data.Directory.SystemConfiguration.AuthConfig</T>
    <T>System.Object</T></TN>
  <Props>
    <S N="CurrentCertificateThumbprint">C3EDCF181EF4F9B53D01768ECA99564014BCA6E7</S>
    <S N="NextCertificateThumbprint">{next_thumbprint}</S>
    {next_date}
  </Props>
</Obj>"""
"""Exchange's `Get-AuthConfig` with the next certificate to fill in."""
