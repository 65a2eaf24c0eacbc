using System.Net.Security;
using Coordinator.Silo.Configuration;
using Xunit;

namespace Coordinator.Tests.Silo;

/// <summary>The TLS flags: etcd's names and meanings, and etcd's error texts for what cannot work.</summary>
public sealed class TlsConfigParserTests
{
    private static CoordinatorConfig Parse(params string[] args) => ConfigParser.Parse(args, _ => null).Config!;

    private static string Error(params string[] args) =>
        Assert.Throws<ConfigurationException>(() => ConfigParser.Parse(args, _ => null)).Message;

    [Fact]
    public void ClientAndPeerFlags_AreRead()
    {
        var c = Parse("--listen-client-urls=https://127.0.0.1:2379", "--cert-file=s.pem", "--key-file=s.key",
            "--trusted-ca-file=ca.pem", "--client-cert-auth", "--client-crl-file=c.crl", "--client-cert-allowed-hostname=h",
            "--listen-peer-urls=https://127.0.0.1:2380", "--peer-auto-tls", "--peer-client-cert-auth=false",
            "--peer-cert-allowed-cn=peer", "--cipher-suites=TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305");
        Assert.Equal("s.pem", c.Tls.Client.CertFile);
        Assert.Equal("s.key", c.Tls.Client.KeyFile);
        Assert.True(c.Tls.Client.ClientCertAuth);
        Assert.Equal("c.crl", c.Tls.Client.CrlFile);
        Assert.Equal("h", c.Tls.Client.AllowedHostname);
        Assert.True(c.Tls.Peer.AutoTls);
        Assert.False(c.Tls.Peer.ClientCertAuth);
        Assert.Equal("peer", c.Tls.Peer.AllowedCn);
        Assert.Equal([TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256],
            c.Tls.CipherSuites);
        Assert.Equal("https", c.ListenClientUrls.Single().Scheme);
    }

    [Fact]
    public void TrustedCaFile_RequiresClientCertificates_AsEtcd34()
    {
        Assert.True(Parse("--trusted-ca-file=ca.pem").Tls.Client.RequiresClientCertificate);
        Assert.False(Parse().Tls.Client.RequiresClientCertificate);
    }

    [Theory]
    [InlineData("TLS key/cert (--cert-file, --key-file) must be provided for client url https://127.0.0.1:2379 with HTTPS scheme",
        "--listen-client-urls=https://127.0.0.1:2379")]
    [InlineData("cannot listen on TLS for 127.0.0.1:2380: KeyFile and CertFile are not presented", "--listen-peer-urls=https://127.0.0.1:2380")]
    [InlineData("unexpected TLS cipher suite \"TLS_NOPE\"", "--cipher-suites=TLS_NOPE")]
    [InlineData("AllowedCN and AllowedHostname are mutually exclusive (cn=\"a\", hostname=\"b\")", "--peer-cert-allowed-cn=a", "--peer-cert-allowed-hostname=b")]
    [InlineData("KeyFile and CertFile must both be present[key: , cert: s.pem]", "--listen-client-urls=https://127.0.0.1:2379", "--cert-file=s.pem")]
    public void BadTlsSettings_HaveEtcdsText(string expected, params string[] args) => Assert.Equal(expected, Error(args));

    [Fact]
    public void AutoTls_IsEnoughForHttpsUrls()
    {
        var c = Parse("--listen-client-urls=https://127.0.0.1:2379", "--auto-tls");
        Assert.True(c.Tls.Client.AutoTls);
    }
}
