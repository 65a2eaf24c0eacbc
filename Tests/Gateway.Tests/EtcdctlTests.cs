using System.Diagnostics;
using System.Text.Json;
using Xunit;

namespace Coordinator.Tests.Gateway;

/// <summary>The real etcdctl 3.4 against the gateway. CI installs etcdctl (apt package etcd-client): a missing
/// binary fails these tests on purpose.</summary>
public sealed class EtcdctlTests : IAsyncLifetime
{
    private GatewayHost _host = null!;

    public async Task InitializeAsync() => _host = await GatewayHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<(int ExitCode, string Output, string Error)> EtcdctlAsync(string stdin, params string[] args)
    {
        var start = new ProcessStartInfo("etcdctl")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.Environment["ETCDCTL_API"] = "3";
        start.ArgumentList.Add($"--endpoints={_host.Endpoint}");
        start.ArgumentList.Add("--command-timeout=5s");
        foreach (var arg in args) start.ArgumentList.Add(arg);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("etcdctl is not installed (apt-get install -y etcd-client)", e);
        }
        using (process)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, await output, await error);
        }
    }

    private async Task<string> OkAsync(params string[] args) => await OkWithInputAsync("", args);

    private async Task<string> OkWithInputAsync(string stdin, params string[] args)
    {
        var (code, output, error) = await EtcdctlAsync(stdin, args);
        Assert.True(code == 0, $"etcdctl {string.Join(' ', args)} exited {code}: {error}{output}");
        return output;
    }

    [Fact]
    public async Task Put_get_del()
    {
        Assert.Equal("OK", (await OkAsync("put", "foo", "bar")).Trim());
        Assert.Equal("foo\nbar", (await OkAsync("get", "foo")).Trim());
        await OkAsync("put", "foo2", "baz");
        Assert.Equal("foo\nbar\nfoo2\nbaz", (await OkAsync("get", "foo", "--prefix")).Trim());
        Assert.Equal("bar", (await OkAsync("get", "foo", "--print-value-only", "--consistency=s")).Trim());
        Assert.Equal("2", (await OkAsync("del", "foo", "--prefix")).Trim());
        Assert.Equal("", (await OkAsync("get", "foo")).Trim());

        var json = JsonDocument.Parse(await OkAsync("get", "nothing", "-w", "json")).RootElement;
        Assert.Equal(0xC1UL, json.GetProperty("header").GetProperty("cluster_id").GetUInt64());
    }

    [Fact]
    public async Task Txn_from_stdin()
    {
        await OkAsync("put", "flag", "on");
        var output = await OkWithInputAsync("value(\"flag\") = \"on\"\n\nput result yes\n\nput result no\n\n", "txn");
        Assert.Equal("SUCCESS\n\nOK", output.Trim());
        Assert.Equal("yes", (await OkAsync("get", "result", "--print-value-only")).Trim());
    }

    [Fact]
    public async Task Lease_grant_keepalive_once_timetolive_revoke()
    {
        var grant = await OkAsync("lease", "grant", "60");
        var id = grant.Split(' ')[1];
        Assert.Matches("^lease [0-9a-f]+ granted with TTL\\(60s\\)$", grant.Trim());
        await OkAsync("put", "leased", "x", "--lease=" + id);
        Assert.Contains($"lease {id} keepalived with TTL(60)", await OkAsync("lease", "keep-alive", "--once", id));
        Assert.Contains("attached keys([leased])", await OkAsync("lease", "timetolive", id, "--keys"));
        Assert.Contains(id, await OkAsync("lease", "list"));
        Assert.Contains("revoked", await OkAsync("lease", "revoke", id));
        Assert.Equal("", (await OkAsync("get", "leased")).Trim());
    }

    [Fact]
    public async Task Endpoint_status_health_and_member_list()
    {
        var status = await OkAsync("endpoint", "status", "-w", "json");
        var entry = JsonDocument.Parse(status).RootElement[0].GetProperty("Status");
        Assert.Equal("3.4.0", entry.GetProperty("version").GetString());
        Assert.Equal(0x11UL, entry.GetProperty("leader").GetUInt64());

        Assert.Contains("is healthy", (await EtcdctlAsync("", "endpoint", "health")).Error);
        Assert.Contains("fake", await OkAsync("member", "list"));
    }

    [Fact]
    public async Task Errors_surface_as_etcd_prints_them()
    {
        var (code, _, error) = await EtcdctlAsync("", "member", "add", "x", "--peer-urls=http://127.0.0.1:9999");
        Assert.NotEqual(0, code);
        Assert.Contains("not available on this host", error); // the test host provides no IClusterAdmin
    }
}
