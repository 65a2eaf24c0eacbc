using System.Text.RegularExpressions;
using Xunit;

namespace Coordinator.Tests.Integration.Tls;

/// <summary>Peer TLS between 3 members (https:// peer URLs, --peer-client-cert-auth), as etcd 3.4 runs it; a member
/// with an untrusted peer certificate is refused, and each refusal is logged once, not once per attempt.</summary>
[Trait("Category", "Integration")]
public sealed class PeerTlsTests : IDisposable
{
    private readonly TestCertificates _ca = new();
    private readonly string _root = Directory.CreateTempSubdirectory("coordinator-peer-tls-it-").FullName;
    private readonly List<TlsMemberProcess> _members = [];

    private List<TlsMemberProcess> NewCluster(ServerKind kind, Func<int, TestCertificates.Pair> peerCertificate, params string[] extra)
    {
        var ports = Enumerable.Range(0, 3).Select(_ => FreePorts.Take(2)).ToList();
        var initial = string.Join(",", ports.Select((p, i) => $"p{i + 1}=https://127.0.0.1:{p[1]}"));
        var token = "peer-tls-" + Guid.NewGuid().ToString("N")[..8];
        var members = Enumerable.Range(0, 3).Select(i =>
        {
            var pair = peerCertificate(i);
            return new TlsMemberProcess(kind, $"p{i + 1}", _root, "http", "https",
                ["--peer-cert-file", pair.CertFile, "--peer-key-file", pair.KeyFile, "--peer-trusted-ca-file", _ca.CaFile,
                    "--peer-client-cert-auth", .. extra], ports[i], initial, token);
        }).ToList();
        _members.AddRange(members);
        members.ForEach(m => m.Start());
        return members;
    }

    [Theory]
    [InlineData(ServerKind.Coordinator)]
    [InlineData(ServerKind.Etcd)]
    public async Task ThreeMembers_ReplicateOverMutualPeerTls(ServerKind kind)
    {
        var certificates = Enumerable.Range(1, 3).Select(i => _ca.Issue($"peer{i}", $"peer{i}")).ToList();
        var members = NewCluster(kind, i => certificates[i]);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        foreach (var m in members) await m.WaitHealthyAsync(http, TimeSpan.FromSeconds(40));

        var endpoints = string.Join(",", members.Select(m => m.Endpoint));
        var put = await Etcdctl.RunAsync(members[0].Endpoint, "put", "peer-tls", "replicated");
        Assert.True(put.ExitCode == 0, put.ToString());
        foreach (var m in members)
            Assert.Equal("peer-tls\nreplicated", (await Etcdctl.RunAsync(m.Endpoint, "get", "peer-tls")).Out); // linearizable: through the leader
        var list = await Etcdctl.RunAsync(endpoints, "member", "list");
        Assert.Equal(3, Regex.Matches(list.Out, "https://127.0.0.1:").Count);
    }

    [Fact]
    public async Task UntrustedPeerCertificate_IsRefused_AndLoggedOncePerPeer()
    {
        using var otherCa = new TestCertificates("other-ca");
        var good = Enumerable.Range(1, 2).Select(i => _ca.Issue($"peer{i}", $"peer{i}")).ToList();
        var intruder = otherCa.Issue("intruder", "intruder");
        var members = NewCluster(ServerKind.Coordinator, i => i < 2 ? good[i] : intruder);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await members[0].WaitHealthyAsync(http, TimeSpan.FromSeconds(40));
        await members[1].WaitHealthyAsync(http, TimeSpan.FromSeconds(40));
        Assert.Equal(0, (await Etcdctl.RunAsync(members[0].Endpoint, "put", "k", "v")).ExitCode);

        // The intruder keeps retrying (backoff up to 2 s): after several rounds, each refusal is still one line.
        await WaitForAsync(() => members.Take(2).All(m => Count(m.Output, "rejected peer connection from 127.0.0.1") >= 1 &&
                                                          Count(m.Output, "TLS handshake failed") >= 1), members);
        await Task.Delay(TimeSpan.FromSeconds(6));
        foreach (var m in members.Take(2))
        {
            Assert.Equal(1, Count(m.Output, "rejected peer connection from 127.0.0.1")); // its client certificate
            Assert.Contains("CN=intruder", m.Output);
            Assert.Equal(1, Count(m.Output, "TLS handshake failed")); // its server certificate, when we dial it
        }
        Assert.NotEqual(0, (await Etcdctl.RunAsync(members[2].Endpoint, "--command-timeout=3s", "get", "k")).ExitCode);
    }

    private static int Count(string output, string what) => output.Split('\n').Count(l => l.Contains(what, StringComparison.Ordinal));

    private static async Task WaitForAsync(Func<bool> condition, List<TlsMemberProcess> members)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException(string.Join("\n---\n", members.Select(m => m.Name + ":\n" + m.Output)));
            await Task.Delay(200);
        }
    }

    public void Dispose()
    {
        foreach (var m in _members) m.Dispose();
        _ca.Dispose();
        try { Directory.Delete(_root, recursive: true); } catch { }
    }
}
