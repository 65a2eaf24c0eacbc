using Coordinator.Grains.Replicas;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace Coordinator.Replicas.Tests.Harness;

/// <summary>A 3-silo in-process Orleans cluster whose silos are members 1, 2 and 3 (see
/// <see cref="MemberSiloConfigurator"/>), with helpers to reach replicas, wait for leaders and kill or restart members.</summary>
public sealed class ReplicaCluster : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private ReplicaCluster(TestCluster cluster) => Cluster = cluster;

    public TestCluster Cluster { get; }
    public ReplicaWorld World => ReplicaWorld.For(Cluster.Options.ClusterId);

    public static async Task<ReplicaCluster> StartAsync(bool hintedPlacement = false,
        ConnectionTransportType transport = ConnectionTransportType.InMemory)
    {
        var builder = new TestClusterBuilder(3);
        builder.Options.ConnectionTransport = transport;
        builder.AddSiloBuilderConfigurator<MemberSiloConfigurator>();
        if (hintedPlacement) builder.AddSiloBuilderConfigurator<HintedPlacementConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new ReplicaCluster(cluster);
    }

    /// <summary>Defines a group in the catalog every member shares: ticks of 50 ms, elections after 10.</summary>
    public void DefineGroup(ulong group, params ulong[] voters) =>
        World.Catalog.Define(new ReplicaGroupSpec(group, voters) { TickInterval = TimeSpan.FromMilliseconds(50), ElectionTicks = 10 });

    /// <summary>A group that goes quiet after <paramref name="quiesceAfterTicks"/> idle ticks.</summary>
    public void DefineQuietGroup(ulong group, int quiesceAfterTicks, params ulong[] voters) =>
        World.Catalog.Define(new ReplicaGroupSpec(group, voters) { TickInterval = TimeSpan.FromMilliseconds(50), ElectionTicks = 10, QuiesceAfterTicks = quiesceAfterTicks });

    public IReplicaGrain Replica(ulong group, ulong member) =>
        Cluster.Client.GetGrain<IReplicaGrain>(new ReplicaKey(group, member).ToString());

    public SiloHandle SiloOf(ulong member) => Cluster.Silos.Single(s => MemberSiloConfigurator.MemberOf(s.Name) == member);

    public MemoryReplicaLogProvider LogsOf(ulong member) =>
        ((GatedReplicaLogProvider)((InProcessSiloHandle)SiloOf(member)).SiloHost.Services.GetRequiredService<IReplicaLogProvider>()).Inner;

    /// <summary>Waits until one of <paramref name="members"/> leads <paramref name="group"/> and every other one
    /// follows it; returns its id.</summary>
    public async Task<ulong> WaitForLeaderAsync(ulong group, IReadOnlyList<ulong> members)
    {
        var deadline = DateTime.UtcNow + Patience;
        var last = "";
        while (true)
        {
            try
            {
                var statuses = await Task.WhenAll(members.Select(m => Replica(group, m).Status()));
                var leaders = statuses.Where(s => s.Role == "Leader").ToArray();
                if (leaders.Length == 1 && statuses.All(s => s.Leader == leaders[0].Leader && s.Term == leaders[0].Term))
                    return leaders[0].Leader;
                last = string.Join("; ", statuses.Select(s => $"{s.Replica} {s.Role} term={s.Term} leader={s.Leader}"));
            }
            catch (Exception e) when (Retryable(e)) { last = e.Message; }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"no single leader of group {group} within {Patience}: {last}");
            await Task.Delay(100);
        }
    }

    /// <summary>Proposes through whichever member leads, following NotLeader answers, until applied.</summary>
    public async Task<ProposalResult> ProposeAsync(ulong group, IReadOnlyList<ulong> members, string data)
    {
        var deadline = DateTime.UtcNow + Patience;
        var target = members[0];
        ProposalResult? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = await Replica(group, target).Propose(System.Text.Encoding.UTF8.GetBytes(data));
            if (last.Outcome == ProposalOutcome.Applied) return last;
            if (last.Outcome == ProposalOutcome.NotLeader && last.Leader != 0 && members.Contains(last.Leader)) target = last.Leader;
            else
            {
                target = members[(Array.IndexOf(members.ToArray(), target) + 1) % members.Count];
                await Task.Delay(100);
            }
        }
        throw new TimeoutException($"\"{data}\" not applied in group {group} within {Patience}: {last?.Outcome} {last?.Reason}");
    }

    /// <summary>Waits until every one of <paramref name="members"/> has applied <paramref name="count"/> payloads.</summary>
    public async Task WaitForAppliedAsync(ulong group, IReadOnlyList<ulong> members, int count)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (members.Any(m => World.Applied(new ReplicaKey(group, m)).Count < count))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"not every member applied {count} entries of group {group}: " +
                    string.Join(", ", members.Select(m => $"{m}: {World.Applied(new ReplicaKey(group, m)).Count}")));
            await Task.Delay(50);
        }
    }

    /// <summary>Stops member <paramref name="member"/>'s silo as a crash would (no graceful shutdown).</summary>
    public Task KillAsync(ulong member) => Cluster.KillSiloAsync(SiloOf(member));

    /// <summary>Starts member <paramref name="member"/>'s silo again (same name, so the same member; a new incarnation).</summary>
    public Task<SiloHandle> RestartAsync(ulong member) =>
        TestCluster.StartSiloAsync(Cluster, (int)member - 1, Cluster.Options);

    /// <summary>What a call may meet while the cluster settles after a silo died or joined.</summary>
    public static bool Retryable(Exception e) =>
        e is Orleans.Runtime.SiloUnavailableException or Orleans.Runtime.OrleansMessageRejectionException or TimeoutException
            or Orleans.Runtime.Messaging.ConnectionFailedException or Orleans.Runtime.OrleansException;

    public async ValueTask DisposeAsync()
    {
        var clusterId = Cluster.Options.ClusterId;
        try { await Cluster.StopAllSilosAsync(); } catch { }
        await Cluster.DisposeAsync();
        ReplicaWorld.Forget(clusterId);
    }
}
