using System.Diagnostics;
using System.Net;
using Coordinator.Client;
using Coordinator.Tests.Integration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;

namespace Coordinator.Orleans.Tests.Members;

/// <summary>
/// The members of a Coordinator cluster are one Orleans cluster: their silos stand on the membership table in
/// the root Raft group. A kill -9 is seen by Raft (a new leader, writes go on) and by Orleans (the silo is
/// declared dead); a restart rejoins both. The dashboard on a member lists every silo.
/// </summary>
public sealed class MemberSiloClusterTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly TestCluster _cluster = new(3, "--enable-dashboard");
    private readonly Dictionary<CoordinatorProcess, int> _gatewayPorts = new();
    private IHost? _orleansClient;

    public async Task InitializeAsync()
    {
        var ports = FreePorts.Take(_cluster.Members.Count);
        for (var i = 0; i < ports.Length; i++)
        {
            _gatewayPorts[_cluster.Members[i]] = ports[i];
            _cluster.Members[i].Environment["COORDINATOR_SILO_GATEWAY_PORT"] = ports[i].ToString();
        }
        await _cluster.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_orleansClient is not null)
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try { await _orleansClient.StopAsync(stop.Token); } catch (OperationCanceledException) { }
            _orleansClient.Dispose();
        }
        _cluster.Dispose();
    }

    [Fact]
    public async Task Three_members_are_one_Orleans_cluster_through_kill_and_restart()
    {
        using var client = new CoordinatorClient(new CoordinatorClientOptions
        {
            Endpoints = _cluster.Members.Select(m => m.Endpoint).ToList(),
            RequestTimeout = TimeSpan.FromSeconds(10),
        });
        var clusterId = (await client.MemberListAsync()).Header.ClusterId.ToString("x16");
        var grains = await StartOrleansClientAsync(clusterId);
        var management = grains.GetGrain<IManagementGrain>(0);

        var all = await WaitForActiveSilosAsync(management, 3);
        Assert.Equal(_cluster.Members.Select(m => _gatewayPorts[m]).Order(),
            (await ActiveGatewaysAsync(management)).Order());

        // kill -9 of the leader: Raft elects another and goes on writing; Orleans declares its silo dead.
        var victim = await _cluster.WaitForLeaderAsync();
        victim.Kill();
        var newLeader = await _cluster.WaitForLeaderAsync();
        Assert.NotEqual(victim.Name, newLeader.Name);
        await client.PutAsync("written-while-down", "yes");
        var survivors = await WaitForActiveSilosAsync(management, 2);
        Assert.Equal(2, survivors.Intersect(all).Count());
        var dead = all.Except(survivors).Single();
        var hosts = await CallAsync(() => management.GetHosts(onlyActive: false));
        Assert.Equal(SiloStatus.Dead, hosts[dead]);

        // Restart: the member catches up in Raft and its new silo joins as a new incarnation.
        victim.Start();
        await _cluster.WaitForLeaderAsync();
        using var atVictim = new CoordinatorClient(new CoordinatorClientOptions { Endpoints = [victim.Endpoint], RequestTimeout = TimeSpan.FromSeconds(10) });
        Assert.Equal("yes", await WaitForValueAsync(atVictim, "written-while-down"));
        var rejoined = await WaitForActiveSilosAsync(management, 3);
        var reborn = rejoined.Except(survivors).Single();
        Assert.NotEqual(dead, reborn);
        Assert.Equal(SiloStatus.Dead, (await CallAsync(() => management.GetHosts(onlyActive: false)))[dead]);
        Assert.Equal(_cluster.Members.Select(m => _gatewayPorts[m]).Order(), (await ActiveGatewaysAsync(management)).Order());

        // The dashboard on a member lists every active silo. Its first counters may come from a dashboard grain
        // still being reactivated away from the killed silo: the page is loaded again, a bounded number of times.
        var page = "";
        for (var attempt = 0; attempt < 5; attempt++)
        {
            page = await DashboardSilosPageAsync(_cluster.Members[0].ClientUrl + "/dashboard/#/silos");
            if (rejoined.All(silo => page.Contains(silo.Endpoint.ToString(), StringComparison.Ordinal))) break;
            await Task.Delay(2000);
        }
        foreach (var silo in rejoined)
            Assert.True(page.Contains(silo.Endpoint.ToString(), StringComparison.Ordinal), $"the dashboard does not list {silo.Endpoint}:\n{page}");
    }

    private async Task<IClusterClient> StartOrleansClientAsync(string clusterId)
    {
        var gateways = _gatewayPorts.Values.Select(p => new IPEndPoint(IPAddress.Loopback, p)).ToArray();
        _orleansClient = new HostBuilder()
            .UseOrleansClient(c =>
            {
                c.UseStaticClustering(gateways);
                c.Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = clusterId;
                    o.ServiceId = "coordinator-" + clusterId;
                });
            })
            .Build();
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            try
            {
                await _orleansClient.StartAsync();
                return _orleansClient.Services.GetRequiredService<IClusterClient>();
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(500); // the silos join in the background, after the Raft group serves
            }
        }
    }

    private static async Task<List<SiloAddress>> WaitForActiveSilosAsync(IManagementGrain management, int count)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var active = (await CallAsync(() => management.GetHosts(onlyActive: true))).Keys.ToList();
            if (active.Count == count) return active;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"expected {count} active silos, have {active.Count}: {string.Join(", ", active)}");
            await Task.Delay(500);
        }
    }

    private static async Task<List<int>> ActiveGatewaysAsync(IManagementGrain management)
    {
        var hosts = await CallAsync(() => management.GetDetailedHosts(onlyActive: true));
        return hosts.Select(h => h.ProxyPort).ToList();
    }

    private static async Task<string?> WaitForValueAsync(CoordinatorClient client, string key)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            try
            {
                var kv = await client.GetAsync(key);
                if (kv is not null) return kv.Value.ToStringUtf8();
            }
            catch (CoordinatorException) when (DateTime.UtcNow < deadline) { }
            if (DateTime.UtcNow > deadline) return null;
            await Task.Delay(250);
        }
    }

    /// <summary>The silos page as headless Chromium (Debian's) renders it.</summary>
    private static async Task<string> DashboardSilosPageAsync(string url)
    {
        var psi = new ProcessStartInfo("chromium")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=10000", "--dump-dom", url })
            psi.ArgumentList.Add(a);
        psi.Environment["HOME"] = Directory.CreateTempSubdirectory("chromium-").FullName;
        using var chromium = Process.Start(psi) ?? throw new InvalidOperationException("chromium did not start (apt-get install chromium)");
        var dom = chromium.StandardOutput.ReadToEndAsync();
        _ = chromium.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try { await chromium.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException) { chromium.Kill(entireProcessTree: true); throw new TimeoutException("chromium did not finish within 60 s"); }
        return await dom;
    }

    private static Task<T> CallAsync<T>(Func<Task<T>> call) => Cluster.OrleansClusterOnStore.CallAsync(call);
}
