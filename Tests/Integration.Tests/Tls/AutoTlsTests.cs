using Xunit;

namespace Coordinator.Tests.Integration.Tls;

/// <summary>--auto-tls and --peer-auto-tls: self-signed certificates written under the data dir where etcd 3.4 writes
/// them (fixtures/client, fixtures/peer), the same kind of files; clients connect with --insecure-skip-tls-verify.</summary>
[Trait("Category", "Integration")]
public sealed class AutoTlsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("coordinator-autotls-it-").FullName;

    [Theory]
    [InlineData(ServerKind.Coordinator)]
    [InlineData(ServerKind.Etcd)]
    public async Task AutoTls_WritesSelfSignedFixturesUnderTheDataDir(ServerKind kind)
    {
        using var m = new TlsMemberProcess(kind, "m1", _root, "https", "https", ["--auto-tls", "--peer-auto-tls"]);
        m.Start();
        using (var http = TlsHttp.Create(null, trustAnything: true)) await m.WaitHealthyAsync(http);

        foreach (var side in new[] { "client", "peer" })
        {
            var dir = Path.Combine(m.DataDir, "fixtures", side);
            var cert = Path.Combine(dir, "cert.pem");
            var key = Path.Combine(dir, "key.pem");
            Assert.True(File.Exists(cert) && File.Exists(key), $"{kind}: no {side} fixtures in {dir}");
            Assert.StartsWith("-----BEGIN EC PRIVATE KEY-----", File.ReadAllText(key));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
            var text = TestCertificates.OpenSsl("x509", "-in", cert, "-noout", "-subject", "-ext", "subjectAltName,extendedKeyUsage");
            Assert.Contains("subject=O = etcd", text);
            Assert.Contains("IP Address:127.0.0.1", text);
            Assert.Contains("TLS Web Server Authentication", text);
            Assert.Contains("ASN1 OID: secp521r1", TestCertificates.OpenSsl("x509", "-in", cert, "-noout", "-text"));
        }

        var put = await Etcdctl.RunAsync(m.ClientUrl, "--insecure-skip-tls-verify", "--insecure-transport=false", "put", "auto", "tls");
        Assert.True(put.ExitCode == 0, put + "\n" + m.Output);
        // Not trusted by a client that verifies.
        Assert.NotEqual(0, (await Etcdctl.RunAsync(m.ClientUrl, "--dial-timeout=2s", "--command-timeout=3s", "--insecure-transport=false", "get", "auto")).ExitCode);
    }

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); } catch { }
    }
}
