using Coordinator.Client;
using Xunit;

namespace Coordinator.Tests.Integration.Tls;

/// <summary>
/// Mutual TLS with authentication enabled (etcd's --client-cert-auth and auth enable), against `coordinator` and real
/// etcd 3.4 with the same flags and certificates: etcdctl with --user, the .NET client with a password, npm etcd3 with
/// credentials, and a client certificate's common name as the user when no token is sent.
/// </summary>
[Trait("Category", "Integration")]
public sealed class MutualTlsAuthTests : IDisposable
{
    private const string Denied = "etcdserver: permission denied";
    private readonly TestCertificates _ca = new();
    private readonly string _root = Directory.CreateTempSubdirectory("coordinator-tls-auth-it-").FullName;

    /// <summary>root (role root); alice with role app (readwrite on the prefixes "/app/" and "js-tls"); then auth on.
    /// Run with a certificate whose common name is no user.</summary>
    private static async Task SetUpAsync(string url, string caFile, TestCertificates.Pair client)
    {
        foreach (var command in new[]
                 {
                     new[] { "user", "add", "root", "--new-user-password=rootpw", "--interactive=false" },
                     ["user", "grant-role", "root", "root"],
                     ["role", "add", "app"],
                     ["role", "grant-permission", "app", "readwrite", "/app/", "--prefix"],
                     ["role", "grant-permission", "app", "readwrite", "js-tls", "--prefix"],
                     ["user", "add", "alice", "--new-user-password=alicepw", "--interactive=false"],
                     ["user", "grant-role", "alice", "app"],
                     ["auth", "enable"],
                 })
        {
            var r = await TlsEtcdctl.RunAsync(url, caFile, client, command);
            Assert.True(r.ExitCode == 0, $"etcdctl {string.Join(' ', command)}: {r}");
        }
    }

    private async Task<TlsMemberProcess> StartAsync(ServerKind kind, TestCertificates.Pair healthClient)
    {
        var server = _ca.Issue("server", "server");
        var m = new TlsMemberProcess(kind, "m1", _root, "https", "http",
            ["--cert-file", server.CertFile, "--key-file", server.KeyFile, "--trusted-ca-file", _ca.CaFile, "--client-cert-auth"]);
        m.Start();
        using var http = TlsHttp.Create(_ca.CaFile, healthClient);
        await m.WaitHealthyAsync(http);
        return m;
    }

    [Theory]
    [InlineData(ServerKind.Coordinator)]
    [InlineData(ServerKind.Etcd)]
    public async Task Etcdctl_DotNetClient_and_NpmEtcd3_authenticate_over_mutual_tls(ServerKind kind)
    {
        var anonymous = _ca.Issue("anonymous", "no-such-user");
        using var m = await StartAsync(kind, anonymous);
        await SetUpAsync(m.ClientUrl, _ca.CaFile, anonymous);

        var put = await TlsEtcdctl.RunAsync(m.ClientUrl, _ca.CaFile, anonymous, "--user", "alice:alicepw", "put", "/app/x", "1");
        Assert.True(put.ExitCode == 0 && put.Out == "OK", put + "\n" + m.Output);
        var outside = await TlsEtcdctl.RunAsync(m.ClientUrl, _ca.CaFile, anonymous, "--user", "alice:alicepw", "put", "/other", "1");
        Assert.Contains(Denied, outside.Stderr);
        var wrong = await TlsEtcdctl.RunAsync(m.ClientUrl, _ca.CaFile, anonymous, "--user", "alice:nope", "get", "/app/x");
        Assert.Contains("etcdserver: authentication failed, invalid user ID or password", wrong.Stderr);
        var admin = await TlsEtcdctl.RunAsync(m.ClientUrl, _ca.CaFile, anonymous, "--user", "root:rootpw", "user", "list");
        Assert.Equal("alice\nroot", admin.Out);

        await using (var dotnet = new CoordinatorClient(new CoordinatorClientOptions
        {
            Endpoints = [m.ClientUrl], TrustedCaFile = _ca.CaFile, CertFile = anonymous.CertFile, KeyFile = anonymous.KeyFile,
            Username = "alice", Password = "alicepw",
        }))
        {
            await dotnet.PutAsync("/app/dotnet", "2");
            Assert.Equal("1", (await dotnet.GetAsync("/app/x"))!.Value.ToStringUtf8());
            var refused = await Assert.ThrowsAsync<CoordinatorException>(() => dotnet.PutAsync("/other", "1"));
            Assert.Equal(Denied, refused.Detail);
        }

        var (exitCode, output) = await NpmEtcd3.RunTlsCheckAsync(m.ClientUrl, _ca.CaFile, anonymous, "alice", "alicepw");
        Assert.True(exitCode == 0, output + "\n" + m.Output);
        foreach (var step in new[] { "kv", "watch", "lease", "auth" }) Assert.Contains("ok " + step, output);
    }

    [Theory]
    [InlineData(ServerKind.Coordinator)]
    [InlineData(ServerKind.Etcd)]
    public async Task Client_certificate_common_name_is_the_user_when_no_token_is_sent(ServerKind kind)
    {
        var anonymous = _ca.Issue("anonymous", "no-such-user");
        var alice = _ca.Issue("alice", "alice");
        var root = _ca.Issue("root", "root");
        using var m = await StartAsync(kind, anonymous);
        await SetUpAsync(m.ClientUrl, _ca.CaFile, anonymous);

        var put = await TlsEtcdctl.RunAsync(m.ClientUrl, _ca.CaFile, alice, "put", "/app/cn", "1");
        Assert.True(put.ExitCode == 0 && put.Out == "OK", put + "\n" + m.Output);
        Assert.Equal("/app/cn\n1", (await TlsEtcdctl.RunAsync(m.ClientUrl, _ca.CaFile, alice, "get", "/app/cn")).Out);
        Assert.Contains(Denied, (await TlsEtcdctl.RunAsync(m.ClientUrl, _ca.CaFile, alice, "put", "/other", "1")).Stderr);
        Assert.Contains(Denied, (await TlsEtcdctl.RunAsync(m.ClientUrl, _ca.CaFile, alice, "user", "list")).Stderr);
        // A common name that names no user has no permission at all.
        Assert.Contains(Denied, (await TlsEtcdctl.RunAsync(m.ClientUrl, _ca.CaFile, anonymous, "get", "/app/cn")).Stderr);
        // root's certificate is root: everything, including the admin calls.
        Assert.Equal("OK", (await TlsEtcdctl.RunAsync(m.ClientUrl, _ca.CaFile, root, "put", "/other", "1")).Out);
        Assert.Equal("alice\nroot", (await TlsEtcdctl.RunAsync(m.ClientUrl, _ca.CaFile, root, "user", "list")).Out);
        // A token wins over the certificate: alice's token with root's certificate is alice.
        var token = await TlsEtcdctl.RunAsync(m.ClientUrl, _ca.CaFile, root, "--user", "alice:alicepw", "put", "/other", "2");
        Assert.Contains(Denied, token.Stderr);

        // The .NET client with only a certificate is its common name too.
        await using var dotnet = new CoordinatorClient(new CoordinatorClientOptions
        {
            Endpoints = [m.ClientUrl], TrustedCaFile = _ca.CaFile, CertFile = alice.CertFile, KeyFile = alice.KeyFile,
        });
        await dotnet.PutAsync("/app/cn", "2");
        var refused = await Assert.ThrowsAsync<CoordinatorException>(() => dotnet.PutAsync("/other", "3"));
        Assert.Equal(Denied, refused.Detail);
        Assert.Equal("1", (await TlsEtcdctl.RunAsync(m.ClientUrl, _ca.CaFile, root, "get", "/other", "--print-value-only")).Out);
    }

    public void Dispose()
    {
        _ca.Dispose();
        try { Directory.Delete(_root, recursive: true); } catch { }
    }
}
