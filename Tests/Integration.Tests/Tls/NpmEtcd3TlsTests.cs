using Xunit;

namespace Coordinator.Tests.Integration.Tls;

/// <summary>The npm etcd3 client (grpc-js) over mutual TLS (its credentials option), against us and etcd 3.4.</summary>
[Trait("Category", "Integration")]
public sealed class NpmEtcd3TlsTests : IDisposable
{
    private readonly TestCertificates _ca = new();
    private readonly string _root = Directory.CreateTempSubdirectory("coordinator-npm-tls-it-").FullName;

    [Theory]
    [InlineData(ServerKind.Coordinator)]
    [InlineData(ServerKind.Etcd)]
    public async Task Etcd3Client_OverMutualTls(ServerKind kind)
    {
        var server = _ca.Issue("server", "server");
        var client = _ca.Issue("client", "client");
        using var m = new TlsMemberProcess(kind, "m1", _root, "https", "http",
            ["--cert-file", server.CertFile, "--key-file", server.KeyFile, "--trusted-ca-file", _ca.CaFile, "--client-cert-auth"]);
        m.Start();
        using (var http = TlsHttp.Create(_ca.CaFile, client)) await m.WaitHealthyAsync(http);

        var (exitCode, output) = await NpmEtcd3.RunTlsCheckAsync(m.ClientUrl, _ca.CaFile, client);
        Assert.True(exitCode == 0, output + "\n" + m.Output);
        foreach (var step in new[] { "kv", "watch", "lease" }) Assert.Contains("ok " + step, output);
    }

    public void Dispose()
    {
        _ca.Dispose();
        try { Directory.Delete(_root, recursive: true); } catch { }
    }
}
