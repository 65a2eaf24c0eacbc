using Coordinator.Bench.Comparison;
using Coordinator.Bench.Etcd;
using Coordinator.Bench.Running;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using Xunit;

namespace Coordinator.Tests.Bench;

/// <summary>
/// The benchmark's --cacert/--cert/--key/--user and compare's --tls/--auth: options, and the connections they make
/// against a real etcd 3.4 and a real coordinator (a few calls and a 20-operation run to check the wiring; nothing
/// is timed).
/// </summary>
public sealed class SecureConnectionTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("coordinator-bench-secure-").FullName;

    [Fact]
    public void Security_options_are_etcdctls()
    {
        var o = BenchOptionsReader.Read("put", new OptionParser(["put", "--cacert", "ca.pem", "--cert", "c.pem", "--key", "k.pem", "--user", "bench:pa:ss"]));
        Assert.Equal(new ClientSecurity("ca.pem", "c.pem", "k.pem", "bench", "pa:ss"), o.Security);
        Assert.True(o.Security.Tls);
        Assert.Equal("https://127.0.0.1:2379", o.Security.Address("127.0.0.1:2379"));
        Assert.Equal("http://10.0.0.1:2379", o.Security.Address("http://10.0.0.1:2379"));

        var plain = BenchOptionsReader.Read("put", new OptionParser(["put"]));
        Assert.Equal(ClientSecurity.None, plain.Security);
        Assert.Equal("http://127.0.0.1:2379", plain.Security.Address("127.0.0.1:2379"));

        Assert.Contains("--cert and --key", Assert.Throws<ArgumentException>(() => BenchOptionsReader.Read("put", new OptionParser(["put", "--cert", "c.pem"]))).Message);
        Assert.Contains("name:password", Assert.Throws<ArgumentException>(() => BenchOptionsReader.Read("put", new OptionParser(["put", "--user", "bench"]))).Message);
    }

    [Fact]
    public void Compare_modes_tag_the_table_sections()
    {
        Assert.Equal("", CompareOptionsReader.Read(new OptionParser(["compare"])).ModeTag);
        Assert.Equal(" tls", CompareOptionsReader.Read(new OptionParser(["compare", "--tls"])).ModeTag);
        Assert.Equal(" tls+auth", CompareOptionsReader.Read(new OptionParser(["compare", "--tls", "--auth"])).ModeTag);
        Assert.Equal(" auth", CompareOptionsReader.Read(new OptionParser(["compare", "--auth"])).ModeTag);
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Coordinator.sln"))) return dir.FullName;
        throw new InvalidOperationException("cannot find Coordinator.sln above " + AppContext.BaseDirectory);
    }

    private static ServerKind Kind(string name) => name == "etcd"
        ? ServerKind.Etcd("/usr/bin/etcd")
        : ServerKind.Coordinator(Path.Combine(RepoRoot(), "Silo", "bin",
#if DEBUG
            "Debug",
#else
            "Release",
#endif
            "net10.0", "coordinator"));

    [Theory]
    [InlineData("etcd")]
    [InlineData("coordinator")]
    public async Task Tls_with_client_certificates_and_auth_connect_to_either_kind(string kind)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var ct = timeout.Token;
        var certificates = BenchCertificates.Create(Path.Combine(_root, "tls"));
        var options = new CompareOptions { DataRoot = _root, Tls = true, Auth = true };
        await using var cluster = new Coordinator.Bench.Comparison.Cluster(Kind(kind), 1, options, certificates);
        cluster.Start();
        await cluster.WaitReadyAsync(anyEndpoint: false, TimeSpan.FromSeconds(60), ct);
        var endpoint = cluster.Endpoints[0];

        // Without a client certificate the TLS handshake is refused (--client-cert-auth).
        using (var anonymous = new EtcdClient(endpoint, new ClientSecurity(certificates.CaFile)))
            await Assert.ThrowsAnyAsync<Exception>(() => anonymous.PutAsync(new PutRequest { Key = ByteString.CopyFromUtf8("bench/x") }, ct));

        await BenchUsers.EnableAsync(endpoint, certificates.Client, ct);
        var asBench = BenchUsers.As(certificates.Client);
        using (var client = new EtcdClient(endpoint, asBench))
        {
            await client.AuthenticateAsync(ct);
            await client.PutAsync(new PutRequest { Key = ByteString.CopyFromUtf8("bench/x"), Value = ByteString.CopyFromUtf8("1") }, ct);
            Assert.Equal("1", (await client.GetAsync(ByteString.CopyFromUtf8("bench/x"), serializable: false, ct)).Kvs[0].Value.ToStringUtf8());
            var outside = await Assert.ThrowsAsync<RpcException>(() => client.PutAsync(new PutRequest { Key = ByteString.CopyFromUtf8("other") }, ct));
            Assert.Equal("etcdserver: permission denied", outside.Status.Detail);
        }
        // The certificate's common name names no user: without a login, nothing is allowed.
        using (var certificateOnly = new EtcdClient(endpoint, certificates.Client))
        {
            var refused = await Assert.ThrowsAsync<RpcException>(() => certificateOnly.PutAsync(new PutRequest { Key = ByteString.CopyFromUtf8("bench/x") }, ct));
            Assert.Equal("etcdserver: permission denied", refused.Status.Detail);
        }

        // The probe logs in once auth is on; a short run logs every connection in.
        cluster.ProbeSecurity = asBench;
        await cluster.WaitReadyAsync(anyEndpoint: false, TimeSpan.FromSeconds(30), ct);
        var report = await SingleRun.RunAsync(new BenchOptions
        {
            Workload = "put", Endpoints = cluster.Endpoints, Clients = 2, Conns = 2, Total = 20, Warmup = TimeSpan.Zero,
            Progress = false, Security = asBench,
        }, ct);
        Assert.Equal(20, report.Operations);
        Assert.Equal(0, report.ErrorCount);
    }

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); } catch { }
    }
}
