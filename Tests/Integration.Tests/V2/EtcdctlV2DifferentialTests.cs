using System.Text.RegularExpressions;
using Xunit;

namespace Coordinator.Tests.Integration.V2;

/// <summary>
/// etcdctl 3.4 with ETCDCTL_API=2 against real etcd 3.4 (--enable-v2) and against Coordinator: every v2 command
/// prints the same and exits with the same code once indexes, TTLs, ids and ports are masked.
/// </summary>
[Trait("Category", "Integration")]
public sealed partial class EtcdctlV2DifferentialTests(V2DifferentialFixture servers) : IClassFixture<V2DifferentialFixture>
{
    private static string Mask(string text)
    {
        text = Brackets().Replace(text, "[N]");
        text = IndexLines().Replace(text, "$1: N");
        text = InOrder().Replace(text, "/IN-ORDER");
        text = V2Observation.Mask(text);
        text = Id().Replace(text, "ID");
        return text;
    }

    [GeneratedRegex("\\[\\d+\\]")] private static partial Regex Brackets();
    [GeneratedRegex("(Created-Index|Modified-Index|Index|TTL): \\d+")] private static partial Regex IndexLines();
    [GeneratedRegex("/\\d{20}")] private static partial Regex InOrder();
    [GeneratedRegex("\\b[0-9a-f]{12,16}\\b")] private static partial Regex Id();

    internal static async Task<string> Run(string url, params string[] args)
    {
        var r = await EtcdctlV2.RunAsync(url, args);
        return $"exit {r.ExitCode}\nstdout:\n{Mask(r.Stdout)}\nstderr:\n{Mask(r.Stderr)}";
    }

    private async Task SameAsync(IEnumerable<string[]> commands)
    {
        var differences = new List<string>();
        foreach (var args in commands)
        {
            var etcd = await Run(servers.EtcdUrl, args);
            var ours = await Run(servers.CoordinatorUrl, args);
            if (etcd != ours) differences.Add($"etcdctl {string.Join(' ', args)}\n--- etcd:\n{etcd}\n--- coordinator:\n{ours}");
        }
        Assert.True(differences.Count == 0, string.Join("\n\n", differences));
    }

    [Fact]
    public Task Key_commands_print_what_they_print_against_etcd() => SameAsync(
    [
        ["set", "/e/a", "hello"],
        ["get", "/e/a"],
        ["get", "/e/nope"],
        ["-o", "extended", "get", "/e/a"],
        ["-o", "json", "get", "/e/a"],
        ["mk", "/e/a", "x"],
        ["mk", "/e/b", "x"],
        ["-o", "extended", "mk", "--in-order", "/e/q", "job1"],
        ["mk", "--in-order", "/e/q", "job2"],
        ["mkdir", "/e/d"],
        ["mkdir", "/e/d"],
        ["setdir", "/e/d2"],
        ["setdir", "/e/d2"],
        ["setdir", "/e/a"],
        ["ls", "--sort", "/e"],
        ["ls", "--sort", "-r", "/e"],
        ["ls", "--sort", "-p", "/e"],
        ["ls", "--sort", "-r", "-p", "/e"],
        ["ls", "/e/nope"],
        ["update", "/e/a", "bye"],
        ["update", "/e/nope", "x"],
        ["update", "/e/d", "x"],
        ["updatedir", "/e/d", "--ttl", "100"],
        ["updatedir", "/e/nope"],
        ["updatedir", "/e/a"],
        ["-o", "extended", "set", "--ttl", "50", "/e/t", "v"],
        ["set", "--swap-with-value", "nope", "/e/a", "z"],
        ["set", "--swap-with-value", "bye", "/e/a", "z"],
        ["set", "--swap-with-index", "1", "/e/a", "z"],
        ["rm", "/e/a"],
        ["rm", "/e/a"],
        ["rm", "/e/d"],
        ["rm", "--with-value", "nope", "/e/b"],
        ["rm", "--dir", "/e/d"],
        ["rmdir", "/e/d2"],
        ["rmdir", "/e/b"],
        ["rmdir", "/e/q"],
        ["rm", "--recursive", "/e"],
        ["get", "/e"],
        ["set", "/", "x"],
        ["rm", "-r", "/"],
        ["member", "list"],
        ["cluster-health"],
    ]);

    [Fact]
    public async Task Watch_watch_forever_recursive_and_exec_watch_print_each_change_as_against_etcd()
    {
        var etcd = await WatchTranscriptAsync(servers.EtcdUrl);
        var ours = await WatchTranscriptAsync(servers.CoordinatorUrl);
        Assert.Equal(etcd, ours);
        Assert.True(ours.Contains("set /w/x 5"), ours); // the transcript is not empty on both sides
    }

    private static async Task<string> WatchTranscriptAsync(string url)
    {
        var transcript = new List<string>();
        using (var once = EtcdctlV2.Start(url, "watch", "/w/once"))
        {
            await WaitForWatchersAsync(url, 1);
            await EtcdctlV2.RunAsync(url, "set", "/w/once", "v1");
            var exited = once.WaitForExit(10_000);
            transcript.Add($"watch: exited={exited} out={Mask(await once.StandardOutput.ReadToEndAsync())}");
        }
        transcript.Add("after: " + await Forever(url, ["watch", "--forever", "-r", "/w/r"], async () =>
        {
            await EtcdctlV2.RunAsync(url, "set", "/w/r/a", "1");
            await EtcdctlV2.RunAsync(url, "set", "/w/r/b/c", "2");
            await EtcdctlV2.RunAsync(url, "rm", "/w/r/a");
        }));
        transcript.Add("after: " + await Forever(url, ["watch", "--forever", "--after-index", "1", "/w/r/b/c"], () => Task.CompletedTask));
        transcript.Add("exec: " + await Forever(url, ["exec-watch", "--recursive", "/w/x", "--", "sh", "-c", "echo $ETCD_WATCH_ACTION $ETCD_WATCH_KEY $ETCD_WATCH_VALUE"], async () =>
        {
            await EtcdctlV2.RunAsync(url, "set", "/w/x", "5");
        }));
        return string.Join("\n", transcript);
    }

    /// <summary>Polls /v2/stats/store until the watch is registered (a watch answered from the history may never
    /// show: then a short grace period).</summary>
    private static async Task WaitForWatchersAsync(string url, long count, bool historyAnswered = false)
    {
        if (historyAnswered)
        {
            await Task.Delay(1500);
            return;
        }
        using var target = new V2Target("", url);
        await target.WaitForWatchersAsync(count);
    }

    private static async Task<string> Forever(string url, string[] args, Func<Task> changes)
    {
        using var p = EtcdctlV2.Start(url, args);
        var output = p.StandardOutput.ReadToEndAsync();
        await WaitForWatchersAsync(url, 1, historyAnswered: args.Contains("--after-index"));
        await changes();
        await Task.Delay(1000);
        p.Kill(true);
        p.WaitForExit(10_000);
        return Mask(await output);
    }
}
