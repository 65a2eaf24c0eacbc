using Xunit;
using Xunit.Abstractions;

namespace Coordinator.Tests.Integration.Auth;

/// <summary>etcdctl's user, role and auth commands and --user, run as one script against a real etcd 3.4 and
/// against Coordinator: every command must print the same and exit the same.</summary>
public sealed class EtcdctlAuthTests(ITestOutputHelper output)
{
    private static readonly string[][] Script =
    [
        ["user", "add", "root", "--new-user-password=rootpw", "--interactive=false"],
        ["auth", "enable"],
        ["user", "grant-role", "root", "root"],
        ["auth", "enable"],
        ["put", "/app/x", "1"],
        ["--user", "root:rootpw", "user", "add", "alice", "--new-user-password=alicepw", "--interactive=false"],
        ["--user", "root:rootpw", "user", "add", "alice", "--new-user-password=alicepw", "--interactive=false"],
        ["--user", "root:rootpw", "role", "add", "app"],
        ["--user", "root:rootpw", "role", "grant-permission", "app", "readwrite", "/app/", "--prefix"],
        ["--user", "root:rootpw", "role", "grant-permission", "app", "read", "/config", "--from-key"],
        ["--user", "root:rootpw", "role", "grant-permission", "app", "write", "/single"],
        ["--user", "root:rootpw", "role", "grant-permission", "ghost", "read", "/x"],
        ["--user", "root:rootpw", "user", "grant-role", "alice", "app"],
        ["--user", "root:rootpw", "user", "grant-role", "alice", "ghost"],
        ["--user", "root:rootpw", "user", "grant-role", "ghost", "app"],
        ["--user", "alice:alicepw", "put", "/app/x", "2"],
        ["--user", "alice:alicepw", "get", "/app/x"],
        ["--user", "alice:alicepw", "put", "/other", "1"],
        ["--user", "alice:alicepw", "get", "/config/a"],
        ["--user", "alice:alicepw", "put", "/single", "s"],
        ["--user", "alice:alicepw", "get", "/single"],
        ["--user", "alice:wrong", "get", "/app/x"],
        ["--user", "ghost:pw", "get", "/app/x"],
        ["get", "/app/x"],
        ["--user", "alice:alicepw", "user", "list"],
        ["--user", "alice:alicepw", "user", "get", "alice"],
        ["--user", "alice:alicepw", "role", "get", "app"],
        ["--user", "root:rootpw", "user", "list"],
        ["--user", "root:rootpw", "role", "list"],
        ["--user", "root:rootpw", "user", "get", "alice"],
        ["--user", "root:rootpw", "user", "get", "alice", "--detail"],
        ["--user", "root:rootpw", "role", "get", "app"],
        ["--user", "root:rootpw", "role", "revoke-permission", "app", "/single"],
        ["--user", "root:rootpw", "role", "revoke-permission", "app", "/nothing"],
        ["--user", "root:rootpw", "user", "passwd", "alice", "--new-user-password=newpw", "--interactive=false"],
        ["--user", "alice:alicepw", "get", "/app/x"],
        ["--user", "alice:newpw", "get", "/app/x"],
        ["--user", "root:rootpw", "user", "revoke-role", "alice", "app"],
        ["--user", "root:rootpw", "user", "revoke-role", "alice", "app"],
        ["--user", "alice:newpw", "get", "/app/x"],
        ["--user", "root:rootpw", "user", "revoke-role", "root", "root"],
        ["--user", "root:rootpw", "user", "delete", "root"],
        ["--user", "root:rootpw", "role", "delete", "root"],
        ["--user", "root:rootpw", "role", "delete", "app"],
        ["--user", "root:rootpw", "user", "delete", "alice"],
        ["--user", "root:rootpw", "user", "delete", "alice"],
        ["--user", "root:rootpw", "endpoint", "status"],
        ["endpoint", "status"],
        ["--user", "root:rootpw", "auth", "disable"],
        ["get", "/app/x"],
        ["user", "list"],
    ];

    private static async Task<List<string>> RunScriptAsync(string endpoint)
    {
        var results = new List<string>();
        foreach (var command in Script)
        {
            var r = await Etcdctl.RunAsync(endpoint, command);
            // endpoint status prints ids, sizes and indexes that differ between servers: compare its success only.
            // etcdctl's own retry log lines carry times and client ids: keep only their error.
            var stderr = string.Join("\n", r.Stderr.Split('\n').Select(l => l.StartsWith("{\"level\"", StringComparison.Ordinal)
                ? "retry: " + System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("error").GetString() : l));
            var text = command.Contains("status") ? (r.ExitCode == 0 ? "status ok" : stderr.Trim()) : (r.Stdout + stderr).Trim();
            results.Add($"exit {r.ExitCode}: {text}");
        }
        return results;
    }

    [Fact]
    public async Task User_role_and_auth_commands_print_and_exit_as_with_etcd()
    {
        using var etcd = new EtcdProcess();
        using var cluster = new TestCluster(1);
        await etcd.WaitHealthyAsync();
        await cluster.StartAsync();

        var expected = await RunScriptAsync(etcd.Endpoint);
        var actual = await RunScriptAsync(cluster.Members[0].Endpoint);

        var mismatches = new List<string>();
        for (var i = 0; i < Script.Length; i++)
        {
            output.WriteLine($"etcdctl {string.Join(' ', Script[i])}\n  etcd: {expected[i]}\n  ours: {actual[i]}");
            if (expected[i] != actual[i]) mismatches.Add($"etcdctl {string.Join(' ', Script[i])}:\n  etcd: {expected[i]}\n  ours: {actual[i]}");
        }
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
        Assert.Contains(expected, r => r.StartsWith("exit 1", StringComparison.Ordinal));
        Assert.Contains(expected, r => r.Contains("permission denied", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Users_roles_and_the_enabled_flag_survive_a_restart_from_a_snapshot()
    {
        using var cluster = new TestCluster(1, "--snapshot-count", "5");
        await cluster.StartAsync();
        var endpoint = cluster.Members[0].Endpoint;
        foreach (var command in new[]
                 {
                     new[] { "user", "add", "root", "--new-user-password=rootpw", "--interactive=false" },
                     ["user", "grant-role", "root", "root"],
                     ["role", "add", "app"],
                     ["role", "grant-permission", "app", "read", "/app/", "--prefix"],
                     ["user", "add", "alice", "--new-user-password=alicepw", "--interactive=false"],
                     ["user", "grant-role", "alice", "app"],
                     ["auth", "enable"],
                 })
            Assert.Equal(0, (await Etcdctl.RunAsync(endpoint, command)).ExitCode);
        for (var i = 0; i < 12; i++) // past --snapshot-count: the auth store is in the snapshot, not only the log
            Assert.Equal(0, (await Etcdctl.RunAsync(endpoint, "--user", "root:rootpw", "put", "/app/k" + i, "v")).ExitCode);

        cluster.Members[0].Kill();
        cluster.Members[0].Start();
        await cluster.WaitForLeaderAsync();

        Assert.Contains("etcdserver: user name is empty", (await Etcdctl.RunAsync(endpoint, "get", "/app/k1")).Stderr);
        var read = await Etcdctl.RunAsync(endpoint, "--user", "alice:alicepw", "get", "/app/k1", "--print-value-only");
        Assert.Equal("v", read.Out);
        var write = await Etcdctl.RunAsync(endpoint, "--user", "alice:alicepw", "put", "/app/k1", "w");
        Assert.Contains("etcdserver: permission denied", write.Stderr);
        Assert.Contains("app", (await Etcdctl.RunAsync(endpoint, "--user", "root:rootpw", "role", "list")).Out);
    }
}
