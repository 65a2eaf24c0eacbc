using Coordinator.Client;
using Xunit;

namespace Coordinator.Tests.Integration.Tls;

/// <summary>
/// TLS on the client URL with etcd 3.4's flags, each test run against `coordinator` and against real etcd 3.4 with the
/// same flags and the same certificates (made by openssl in the test): etcdctl v3, the .NET client and plain HTTPS
/// (gRPC and HTTP on the same port through ALPN), and every bad certificate refused.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ClientTlsTests : IDisposable
{
    private readonly TestCertificates _ca = new();
    private readonly string _root = Directory.CreateTempSubdirectory("coordinator-tls-it-").FullName;
    private readonly List<TlsMemberProcess> _members = [];

    private async Task<TlsMemberProcess> StartAsync(ServerKind kind, TestCertificates.Pair server, TestCertificates.Pair? healthClient,
        params string[] extra)
    {
        var member = new TlsMemberProcess(kind, "m1", _root, "https", "http",
            ["--cert-file", server.CertFile, "--key-file", server.KeyFile, .. extra]);
        _members.Add(member);
        member.Start();
        using var http = TlsHttp.Create(_ca.CaFile, healthClient);
        await member.WaitHealthyAsync(http);
        return member;
    }

    [Theory]
    [InlineData(ServerKind.Coordinator)]
    [InlineData(ServerKind.Etcd)]
    public async Task MutualTls_EtcdctlDotNetClientAndHttps_OnOnePort(ServerKind kind)
    {
        var server = _ca.Issue("server", "server");
        var client = _ca.Issue("client", "client");
        var m = await StartAsync(kind, server, client, "--trusted-ca-file", _ca.CaFile, "--client-cert-auth");

        var put = await TlsEtcdctl.RunAsync(m.ClientUrl, _ca.CaFile, client, "put", "tls-key", "over-tls");
        Assert.True(put.ExitCode == 0 && put.Out == "OK", put + "\n" + m.Output);
        var get = await TlsEtcdctl.RunAsync(m.ClientUrl, _ca.CaFile, client, "get", "tls-key");
        Assert.Equal("tls-key\nover-tls", get.Out);
        // Without a scheme, --cacert makes etcdctl use TLS too.
        Assert.Equal("tls-key\nover-tls", (await TlsEtcdctl.RunAsync(m.Endpoint, _ca.CaFile, client, "get", "tls-key")).Out);

        await using (var dotnet = new CoordinatorClient(new CoordinatorClientOptions
        {
            Endpoints = [m.ClientUrl], TrustedCaFile = _ca.CaFile, CertFile = client.CertFile, KeyFile = client.KeyFile,
        }))
        {
            await dotnet.PutAsync("dotnet-key", "dotnet-value");
            Assert.Equal("over-tls", (await dotnet.GetAsync("tls-key"))!.Value.ToStringUtf8());
        }
        // Scheme-less endpoints are https:// when TLS options are set.
        await using (var dotnet = new CoordinatorClient(new CoordinatorClientOptions
        {
            Endpoints = [m.Endpoint], TrustedCaFile = _ca.CaFile, CertFile = client.CertFile, KeyFile = client.KeyFile,
        }))
            Assert.Equal("dotnet-value", (await dotnet.GetAsync("dotnet-key"))!.Value.ToStringUtf8());

        // HTTP/1.1 and HTTP/2 (ALPN) on the same TLS port.
        foreach (var version in new[] { System.Net.HttpVersion.Version11, System.Net.HttpVersion.Version20 })
        {
            using var http = TlsHttp.Create(_ca.CaFile, client, version: version);
            using var response = await http.GetAsync(m.ClientUrl + "/version");
            Assert.Equal(200, (int)response.StatusCode);
            Assert.Equal(version, response.Version);
            Assert.Contains("etcdserver", await response.Content.ReadAsStringAsync());
        }
    }

    [Theory]
    [InlineData(ServerKind.Coordinator)]
    [InlineData(ServerKind.Etcd)]
    public async Task BadClientCertificates_AreRefused(ServerKind kind)
    {
        var server = _ca.Issue("server", "server");
        var good = _ca.Issue("good", "good");
        var expired = _ca.Issue("expired", "expired", expired: true);
        var revoked = _ca.Issue("revoked", "revoked");
        var crl = _ca.Revoke(revoked);
        using var otherCa = new TestCertificates("other-ca");
        var foreign = otherCa.Issue("foreign", "foreign");
        var m = await StartAsync(kind, server, good,
            "--trusted-ca-file", _ca.CaFile, "--client-cert-auth", "--client-crl-file", crl);

        Assert.Equal(0, (await TlsEtcdctl.RunAsync(m.ClientUrl, _ca.CaFile, good, "put", "k", "v")).ExitCode);
        foreach (var (what, certificate) in new (string, TestCertificates.Pair?)[]
                 {
                     ("no client certificate", null), ("wrong CA", foreign), ("expired", expired), ("revoked in the CRL", revoked),
                 })
        {
            var refused = await TlsEtcdctl.RunAsync(m.ClientUrl, _ca.CaFile, certificate, "put", "k", "bad");
            Assert.True(refused.ExitCode != 0, $"{kind} accepted a client with {what}: {refused}");
        }
        Assert.Equal("k\nv", (await TlsEtcdctl.RunAsync(m.ClientUrl, _ca.CaFile, good, "get", "k")).Out);
    }

    [Theory]
    [InlineData(ServerKind.Coordinator)]
    [InlineData(ServerKind.Etcd)]
    public async Task TrustedCaFile_AloneRequiresClientCertificates_AsEtcd34(ServerKind kind)
    {
        var server = _ca.Issue("server", "server");
        var client = _ca.Issue("client", "client");
        var m = await StartAsync(kind, server, client, "--trusted-ca-file", _ca.CaFile);
        Assert.NotEqual(0, (await TlsEtcdctl.RunAsync(m.ClientUrl, _ca.CaFile, null, "put", "k", "v")).ExitCode);
        Assert.Equal(0, (await TlsEtcdctl.RunAsync(m.ClientUrl, _ca.CaFile, client, "put", "k", "v")).ExitCode);
    }

    [Theory]
    [InlineData(ServerKind.Coordinator)]
    [InlineData(ServerKind.Etcd)]
    public async Task ServerOnlyTls_AcceptsClientsWithoutCertificates(ServerKind kind)
    {
        var server = _ca.Issue("server", "server");
        var m = await StartAsync(kind, server, null);
        Assert.Equal(0, (await TlsEtcdctl.RunAsync(m.ClientUrl, _ca.CaFile, null, "put", "k", "v")).ExitCode);
        // A client that does not trust the server's CA refuses it.
        using var otherCa = new TestCertificates("other-ca");
        Assert.NotEqual(0, (await TlsEtcdctl.RunAsync(m.ClientUrl, otherCa.CaFile, null, "get", "k")).ExitCode);
        await using var dotnet = new CoordinatorClient(new CoordinatorClientOptions
        {
            Endpoints = [m.ClientUrl], TrustedCaFile = otherCa.CaFile, RequestTimeout = TimeSpan.FromSeconds(3),
        });
        await Assert.ThrowsAsync<CoordinatorException>(() => dotnet.GetAsync("k"));
    }

    [Theory]
    [InlineData(ServerKind.Coordinator)]
    [InlineData(ServerKind.Etcd)]
    public async Task WrongServerHostname_IsRefusedByClients(ServerKind kind)
    {
        var server = _ca.Issue("server", "server", san: "DNS:wrong.example.com");
        var m = new TlsMemberProcess(kind, "m1", _root, "https", "http", ["--cert-file", server.CertFile, "--key-file", server.KeyFile]);
        _members.Add(m);
        m.Start();
        using (var trusting = TlsHttp.Create(null, trustAnything: true)) await m.WaitHealthyAsync(trusting);

        var refused = await TlsEtcdctl.RunAsync(m.ClientUrl, _ca.CaFile, null, "put", "k", "v");
        Assert.True(refused.ExitCode != 0, refused.ToString());
        await using (var dotnet = new CoordinatorClient(new CoordinatorClientOptions
        {
            Endpoints = [m.ClientUrl], TrustedCaFile = _ca.CaFile, RequestTimeout = TimeSpan.FromSeconds(3),
        }))
            await Assert.ThrowsAsync<CoordinatorException>(() => dotnet.PutAsync("k", "v"));
        // Naming the host the certificate is for makes it acceptable (ServerName / the certificate's own name).
        await using (var dotnet = new CoordinatorClient(new CoordinatorClientOptions
        {
            Endpoints = [m.ClientUrl], TrustedCaFile = _ca.CaFile, ServerName = "wrong.example.com",
        }))
            await dotnet.PutAsync("k", "v");
    }

    [Theory]
    [InlineData(ServerKind.Coordinator)]
    [InlineData(ServerKind.Etcd)]
    public async Task ClientCertAllowedHostname_RefusesOtherCertificates(ServerKind kind)
    {
        var server = _ca.Issue("server", "server");
        var allowed = _ca.Issue("allowed", "allowed", san: "DNS:allowed.example.com");
        var other = _ca.Issue("other", "other", san: "DNS:other.example.com");
        var m = await StartAsync(kind, server, allowed, "--trusted-ca-file", _ca.CaFile, "--client-cert-auth",
            "--client-cert-allowed-hostname", "allowed.example.com");
        Assert.Equal(0, (await TlsEtcdctl.RunAsync(m.ClientUrl, _ca.CaFile, allowed, "put", "k", "v")).ExitCode);
        Assert.NotEqual(0, (await TlsEtcdctl.RunAsync(m.ClientUrl, _ca.CaFile, other, "put", "k", "v")).ExitCode);
    }

    public void Dispose()
    {
        foreach (var m in _members) m.Dispose();
        _ca.Dispose();
        try { Directory.Delete(_root, recursive: true); } catch { }
    }
}
