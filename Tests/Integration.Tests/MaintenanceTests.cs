using System.Text.RegularExpressions;
using Xunit;

namespace Coordinator.Tests.Integration;

/// <summary>Maintenance with etcdctl against real processes: backup and restore, quota alarm, move-leader,
/// cluster-wide endpoint commands.</summary>
[Trait("Category", "Integration")]
public sealed class MaintenanceTests : IDisposable
{
    private readonly List<TestCluster> _clusters = new();
    public void Dispose() => _clusters.ForEach(c => c.Dispose());

    private TestCluster NewCluster(int size, params string[] args)
    {
        var c = new TestCluster(size, args);
        _clusters.Add(c);
        return c;
    }

    private static async Task<Etcdctl.Result> Ok(string endpoints, params string[] args)
    {
        var r = await Etcdctl.RunAsync(endpoints, args);
        Assert.True(r.ExitCode == 0, $"etcdctl {string.Join(' ', args)}: {r}");
        return r;
    }

    private static string Hash(string hashkvOutput) => Regex.Match(hashkvOutput, @", (\d+)").Groups[1].Value;

    [Fact]
    public async Task SnapshotSave_RestoreIntoANew3MemberCluster_SameDataAndHash()
    {
        var source = NewCluster(1);
        await source.StartAsync();
        var e = source.Endpoints;
        for (var i = 0; i < 50; i++) await Ok(e, "put", $"backup/{i:D2}", $"value-{i}");
        await Ok(e, "del", "backup/07");
        var file = Path.Combine(source.Root, "backup.snap");
        await Ok(e, "snapshot", "save", file);
        var sourceHash = Hash((await Ok(e, "endpoint", "hashkv")).Out);

        var restored = NewCluster(3);
        var initial = string.Join(",", restored.Members.Select(m => $"{m.Name}={m.PeerUrl}"));
        foreach (var m in restored.Members)
        {
            var r = await RunCoordinatorAsync("snapshot", "restore", file, "--name", m.Name, "--data-dir", m.DataDir,
                "--initial-cluster", initial, "--initial-advertise-peer-urls", m.PeerUrl, "--initial-cluster-token", restored.Token);
            Assert.True(r.Exit == 0, r.Output);
        }
        var status = await RunCoordinatorAsync("snapshot", "status", file);
        Assert.Contains("total keys: 50", status.Output);
        await restored.StartAsync();
        Assert.Equal("backup/49\nvalue-49", (await Ok(restored.Endpoints, "get", "backup/49")).Out);
        Assert.Equal("", (await Ok(restored.Endpoints, "get", "backup/07")).Out);
        Assert.Equal(49, (await Ok(restored.Endpoints, "get", "backup/", "--prefix", "--keys-only")).Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        foreach (var m in restored.Members)
            Assert.Equal(sourceHash, Hash((await Ok(m.Endpoint, "endpoint", "hashkv")).Out));
        await Ok(restored.Endpoints, "put", "after-restore", "yes");
    }

    [Fact]
    public async Task QuotaExceeded_RaisesNoSpace_UntilCompactDefragAndDisarm()
    {
        var cluster = NewCluster(1, "--quota-backend-bytes", "200000");
        await cluster.StartAsync();
        var e = cluster.Endpoints;
        var value = new string('x', 10_000);
        Etcdctl.Result? refused = null;
        for (var i = 0; i < 100 && refused is null; i++)
        {
            var r = await Etcdctl.RunAsync(e, "put", "big", value);
            if (r.ExitCode != 0) refused = r;
            else await Task.Delay(20);
        }
        Assert.NotNull(refused);
        Assert.Contains("database space exceeded", refused!.Stderr);
        Assert.Contains("alarm:NOSPACE", (await Ok(e, "alarm", "list")).Out);
        Assert.Equal("big", (await Ok(e, "get", "big", "--keys-only")).Out.Trim()); // reads still work
        var rev = Regex.Match((await Ok(e, "endpoint", "status", "-w", "json")).Out, "\"revision\":(\\d+)").Groups[1].Value;
        await Ok(e, "compaction", rev);
        await Ok(e, "defrag");
        await Ok(e, "alarm", "disarm");
        Assert.Equal("", (await Ok(e, "alarm", "list")).Out);
        Assert.Equal("OK", (await Ok(e, "put", "small", "v")).Out);
    }

    [Fact]
    public async Task MoveLeader_AndClusterWideEndpointCommands()
    {
        var cluster = NewCluster(3);
        await cluster.StartAsync();
        await Ok(cluster.Endpoints, "put", "k", "v");
        var leader = await cluster.WaitForLeaderAsync();
        var target = cluster.Members.First(m => m != leader);
        var list = (await Ok(cluster.Endpoints, "member", "list")).Out;
        var targetId = list.Split('\n').First(l => l.Contains($", {target.Name}, ")).Split(',')[0];
        await Ok(leader.Endpoint, "move-leader", targetId);
        Assert.Equal(target.Name, (await cluster.WaitForLeaderAsync()).Name);

        var one = cluster.Members[0].Endpoint;
        Assert.Equal(3, (await Ok(one, "endpoint", "status", "--cluster")).Out.Split('\n').Length);
        var hashes = (await Ok(one, "endpoint", "hashkv", "--cluster")).Out.Split('\n').Select(Hash).Distinct().ToList();
        Assert.Single(hashes);
        Assert.Equal(3, Regex.Matches((await Ok(one, "defrag", "--cluster")).Out, "Finished defragmenting").Count);
    }

    [Fact]
    public async Task AutoCompaction_ByRevision_DropsOldHistory()
    {
        var cluster = NewCluster(1, "--auto-compaction-mode", "revision", "--auto-compaction-retention", "10");
        await cluster.StartAsync();
        for (var i = 0; i < 30; i++) await Ok(cluster.Endpoints, "put", "k", $"v{i}");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        Etcdctl.Result r;
        do
        {
            await Task.Delay(500);
            r = await Etcdctl.RunAsync(cluster.Endpoints, "get", "k", "--rev=3");
        } while (r.ExitCode == 0 && DateTime.UtcNow < deadline);
        Assert.Contains("required revision has been compacted", r.Stderr);
        Assert.Equal("k\nv29", (await Ok(cluster.Endpoints, "get", "k")).Out);
    }

    private static async Task<(int Exit, string Output)> RunCoordinatorAsync(params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(RepoPaths.CoordinatorDll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(psi)!;
        var o = p.StandardOutput.ReadToEndAsync();
        var err = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, await o + await err);
    }
}
