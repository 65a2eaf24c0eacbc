using Xunit;
using System.Diagnostics;
using Coordinator.Client;
using Coordinator.Tests.Integration.Tls;

namespace Coordinator.Tests.Integration.Discovery;

/// <summary>
/// --discovery-srv against a real DNS server on loopback (dnsmasq): the members' SRV records build the initial
/// cluster; etcdctl --discovery-srv (its resolver pointed at dnsmasq through a private mount namespace) and the
/// .NET client (DiscoverySrv, with DnsServer pointed at dnsmasq) find the cluster through _etcd-client records.
/// Peer targets are "localhost." (the peers dial the SRV names with the system's resolver); client targets are
/// names only dnsmasq knows.
/// </summary>
public sealed class DiscoverySrvTests
{
    private const string Domain = "example.test";

    [Fact]
    public async Task ThreeMembers_BootstrapFromSrvRecords_AndEtcdctlAndTheDotNetClientFindThemThroughSrv()
    {
        using var cluster = new TestCluster(0);
        var ports = FreePorts.Take(6);
        var records = new List<string> { "host-record=localhost,127.0.0.1" };
        for (var i = 0; i < 3; i++)
        {
            records.Add($"srv-host=_etcd-server._tcp.{Domain},localhost,{ports[2 * i + 1]},0,10");
            records.Add($"srv-host=_etcd-client._tcp.{Domain},c{i + 1}.{Domain},{ports[2 * i]},0,10");
            records.Add($"host-record=c{i + 1}.{Domain},127.0.0.1");
        }
        using var dns = new Dnsmasq(records);
        for (var i = 0; i < 3; i++)
            cluster.Members.Add(new CoordinatorProcess($"m{i + 1}", ports[2 * i], ports[2 * i + 1], Path.Combine(cluster.Root, $"m{i + 1}"),
                ["--discovery-srv", Domain, "--dns-server", dns.Server]));
        await cluster.StartAsync();

        // etcdctl finds the members by SRV (Go's resolver reads /etc/resolv.conf: a private one names dnsmasq).
        var put = await EtcdctlWithDnsAsync(dns, "--discovery-srv", Domain, "put", "srv-key", "found");
        Assert.True(put.Exit == 0, put.Output + "\n" + dns.Output);
        var list = await EtcdctlWithDnsAsync(dns, "--discovery-srv", Domain, "member", "list");
        Assert.Equal(3, list.Output.Trim().Split('\n').Length);
        foreach (var p in new[] { ports[1], ports[3], ports[5] }) Assert.Contains($"http://localhost:{p}", list.Output);

        // The .NET client finds them the same way.
        await using var client = new CoordinatorClient(new CoordinatorClientOptions { DiscoverySrv = Domain, DnsServer = dns.Server });
        Assert.Equal(3, client.Endpoints.Count);
        Assert.Equal("found", (await client.GetAsync("srv-key"))?.Value.ToStringUtf8());
        Assert.Contains($"_etcd-client._tcp.{Domain}", dns.Output);
    }

    [Fact]
    public async Task TheDotNetClient_LooksTheRecordsUpAgain_WhenItsMembersStopAnswering()
    {
        using var cluster = new TestCluster(3);
        await cluster.StartAsync();
        string[] ClientRecords(IEnumerable<CoordinatorProcess> members) =>
        [
            .. members.Select(m => $"srv-host=_etcd-client._tcp.{Domain},localhost,{m.ClientPort},0,10"), "host-record=localhost,127.0.0.1",
        ];
        var dns = new Dnsmasq(ClientRecords(cluster.Members.Take(1)));
        var address = dns.Address;
        try
        {
            await using var client = new CoordinatorClient(new CoordinatorClientOptions
            {
                DiscoverySrv = Domain, DnsServer = dns.Server, RequestTimeout = TimeSpan.FromSeconds(20),
            });
            Assert.Equal([cluster.Members[0].ClientPort], client.Endpoints.Select(e => e.Port));
            await client.PutAsync("k", "1");

            // The only member it knows goes away; DNS now lists the other two.
            cluster.Members[0].Kill();
            dns.Dispose();
            dns = new Dnsmasq(ClientRecords(cluster.Members.Skip(1)), address);
            // A read first: it is retried through the new lookup whatever happened to the dead connection. A put
            // sent on that connection before the client saw it close has an unknown outcome (it may have reached
            // the member), so the client rightly does not resend it: Unavailable, as etcd's clientv3 answers.
            Assert.Equal("1", (await client.GetAsync("k"))?.Value.ToStringUtf8());
            Assert.DoesNotContain(cluster.Members[0].ClientPort, client.Endpoints.Select(e => e.Port));
            await client.PutAsync("k", "2");
            Assert.DoesNotContain(cluster.Members[0].ClientPort, client.Endpoints.Select(e => e.Port));
            Assert.Equal("2", (await client.GetAsync("k"))?.Value.ToStringUtf8());
        }
        finally { dns.Dispose(); }
    }

    [Fact]
    public async Task ThreeTlsMembers_BootstrapFromSslSrvRecords_AndTheDotNetClientFindsThemThroughClientSslRecords()
    {
        var root = Directory.CreateTempSubdirectory("coordinator-srv-tls-").FullName;
        using var certificates = new TestCertificates();
        var ports = FreePorts.Take(6);
        var records = new List<string> { "host-record=localhost,127.0.0.1" };
        for (var i = 0; i < 3; i++)
        {
            records.Add($"srv-host=_etcd-server-ssl._tcp.{Domain},localhost,{ports[2 * i + 1]},0,10");
            records.Add($"srv-host=_etcd-client-ssl._tcp.{Domain},c{i + 1}.{Domain},{ports[2 * i]},0,10");
            records.Add($"host-record=c{i + 1}.{Domain},127.0.0.1");
        }
        using var dns = new Dnsmasq(records);
        var members = new List<TlsMemberProcess>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var pair = certificates.Issue($"m{i + 1}", $"m{i + 1}");
                var member = new TlsMemberProcess(ServerKind.Coordinator, $"m{i + 1}", root, "https", "https",
                [
                    "--discovery-srv", Domain, "--dns-server", dns.Server,
                    "--cert-file", pair.CertFile, "--key-file", pair.KeyFile,
                    "--peer-cert-file", pair.CertFile, "--peer-key-file", pair.KeyFile, "--peer-trusted-ca-file", certificates.CaFile,
                    "--peer-client-cert-auth",
                ], [ports[2 * i], ports[2 * i + 1]], discovered: true);
                members.Add(member);
                member.Start();
            }
            using var http = TlsHttp.Create(certificates.CaFile);
            foreach (var m in members) await m.WaitHealthyAsync(http, TimeSpan.FromSeconds(60));

            await using var client = new CoordinatorClient(new CoordinatorClientOptions
            {
                DiscoverySrv = Domain, DnsServer = dns.Server, TrustedCaFile = certificates.CaFile, RequestTimeout = TimeSpan.FromSeconds(20),
            });
            Assert.Equal(3, client.Endpoints.Count);
            Assert.All(client.Endpoints, e => Assert.Equal("https", e.Scheme));
            await client.PutAsync("srv-tls", "found");
            Assert.Equal("found", (await client.GetAsync("srv-tls"))?.Value.ToStringUtf8());
            var list = await client.MemberListAsync();
            Assert.Equal(3, list.Members.Count);
            Assert.All(list.Members, m => Assert.StartsWith("https://localhost:", Assert.Single(m.PeerURLs)));
            // Without TLS settings the https records are no use to a client, and it says so.
            var refused = Assert.Throws<CoordinatorException>(() => new CoordinatorClient(new CoordinatorClientOptions { DiscoverySrv = Domain, DnsServer = dns.Server }));
            Assert.Contains("found no http endpoint", refused.Message);
            Assert.Contains("need the client's TLS settings", refused.Message);
            Assert.Contains($"_etcd-server-ssl._tcp.{Domain}", dns.Output);
            Assert.Contains($"_etcd-client-ssl._tcp.{Domain}", dns.Output);
        }
        finally
        {
            foreach (var m in members) m.Dispose();
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }

    [Fact]
    public async Task AnHttpOnlySrvSet_Works_WhereEtcd3_4_23Fails()
    {
        var ports = FreePorts.Take(2);
        using var dns = new Dnsmasq(["host-record=localhost,127.0.0.1", $"srv-host=_etcd-server._tcp.{Domain},localhost,{ports[1]},0,10"]);

        // etcd 3.4.23 keeps only the _etcd-server-ssl result (GetDNSClusterNames): with none, it refuses to start,
        // though the record names its own peer URL.
        var binary = Environment.GetEnvironmentVariable("ETCD_BIN") ?? "/usr/bin/etcd";
        var etcd = await DiscoveryProcesses.RunEtcdUntilExitAsync(["--discovery-srv", Domain], TimeSpan.FromSeconds(30),
            dns.WithResolver(binary, []), ports);
        Assert.Contains("error querying DNS SRV records for _etcd-server-ssl", etcd.Replace("\\", ""));

        using var cluster = new TestCluster(0);
        cluster.Members.Add(new CoordinatorProcess("e1", ports[0], ports[1], Path.Combine(cluster.Root, "e1"),
            ["--discovery-srv", Domain, "--dns-server", dns.Server]));
        await cluster.StartAsync();
        var put = await Etcdctl.RunAsync(cluster.Endpoints, "put", "k", "v");
        Assert.Equal(0, put.ExitCode);
    }

    [Fact]
    public async Task SrvRecordsPointingNowhere_OrAtTheWrongScheme_AreRefusedNamingWhy_AndLeaveNoDataDir()
    {
        var ports = FreePorts.Take(2);
        using var dns = new Dnsmasq(
        [
            "host-record=localhost,127.0.0.1",
            $"srv-host=_etcd-server._tcp.nowhere.{Domain},gone.{Domain},{ports[1]},0,10",
            $"srv-host=_etcd-server-ssl._tcp.tls.{Domain},localhost,{ports[1]},0,10",
        ]);
        using var cluster = new TestCluster(0);

        var nowhere = new CoordinatorProcess("n", ports[0], ports[1], Path.Combine(cluster.Root, "n"), ["--discovery-srv", "nowhere." + Domain, "--dns-server", dns.Server]);
        cluster.Members.Add(nowhere);
        var output = await nowhere.StartExpectingExitAsync();
        Assert.Contains("couldn't resolve during SRV discovery", output);
        Assert.Contains($"lookup gone.{Domain} on {dns.Server}: no such host", output);
        Assert.False(Directory.Exists(nowhere.DataDir));

        var tls = new CoordinatorProcess("t", ports[0], ports[1], Path.Combine(cluster.Root, "t"), ["--discovery-srv", "tls." + Domain, "--dns-server", dns.Server]);
        cluster.Members.Add(tls);
        output = await tls.StartExpectingExitAsync();
        Assert.Contains($"bootstrap at https://localhost:{ports[1]} from DNS for etcd-server-ssl has scheme mismatch with expected peer http://127.0.0.1:{ports[1]}", output);
        Assert.False(Directory.Exists(tls.DataDir));

        var none = new CoordinatorProcess("x", ports[0], ports[1], Path.Combine(cluster.Root, "x"), ["--discovery-srv", "empty." + Domain, "--dns-server", dns.Server]);
        cluster.Members.Add(none);
        output = await none.StartExpectingExitAsync();
        Assert.Contains($"error querying DNS SRV records for _etcd-server-ssl lookup _etcd-server-ssl._tcp.empty.{Domain} on {dns.Server}: no such host", output);
        Assert.Contains($"error querying DNS SRV records for _etcd-server lookup _etcd-server._tcp.empty.{Domain}", output);
        Assert.False(Directory.Exists(none.DataDir));

        // The client says the same kind of thing.
        var e = Assert.Throws<CoordinatorException>(() => new CoordinatorClient(new CoordinatorClientOptions { DiscoverySrv = "empty." + Domain, DnsServer = dns.Server }));
        Assert.Contains($"dns lookup errors: lookup _etcd-client-ssl._tcp.empty.{Domain}: no such host and lookup _etcd-client._tcp.empty.{Domain}: no such host", e.Message);
    }

    private static async Task<(int Exit, string Output)> EtcdctlWithDnsAsync(Dnsmasq dns, params string[] args)
    {
        var psi = dns.WithResolver("etcdctl", ["--command-timeout=10s", .. args]);
        psi.Environment["ETCDCTL_API"] = "3";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try { await p.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException) { p.Kill(true); throw new TimeoutException("etcdctl hung: " + string.Join(' ', args)); }
        return (p.ExitCode, await stdout + await stderr);
    }
}
