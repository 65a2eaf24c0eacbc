using System.Diagnostics;
using Coordinator.Grains.Replicas;
using Coordinator.Replicas.Tests.Harness;
using Orleans.TestingHost;
using Xunit.Abstractions;

namespace Coordinator.Replicas.Tests;

/// <summary>Three replica grains of one group, one per member's silo, over Orleans messaging (TCP between silos).</summary>
public sealed class ReplicaGroupTests(ITestOutputHelper output)
{
    private static readonly ulong[] Members = [1, 2, 3];

    [Fact]
    public async Task Three_replica_grains_elect_a_leader_and_apply_every_proposal_in_one_order_on_every_member()
    {
        await using var cluster = await ReplicaCluster.StartAsync(transport: ConnectionTransportType.TcpSocket);
        cluster.DefineGroup(7, Members);

        // Each replica activates on its own member's silo.
        foreach (var member in Members)
            Assert.Equal(cluster.SiloOf(member).SiloAddress.ToString(), (await cluster.Replica(7, member).Status()).Silo);

        var leader = await cluster.WaitForLeaderAsync(7, Members);
        var follower = Members.First(m => m != leader);
        var notLeader = await cluster.Replica(7, follower).Propose("x"u8.ToArray());
        Assert.Equal(ProposalOutcome.NotLeader, notLeader.Outcome);
        Assert.Equal(leader, notLeader.Leader);

        // Sequential proposals answer in log order, each with its position in the state machine.
        var sequential = new List<ProposalResult>();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 50; i++) sequential.Add(await cluster.ProposeAsync(7, [leader], $"seq-{i}"));
        var perProposal = clock.Elapsed / 50;
        Assert.All(sequential, r => Assert.Equal(ProposalOutcome.Applied, r.Outcome));
        Assert.Equal(sequential.Select(r => r.Index).Order(), sequential.Select(r => r.Index));
        Assert.Equal(Enumerable.Range(1, 50), sequential.Select(r => BitConverter.ToInt32(r.Result)));

        // Concurrent proposals: each applied once, at distinct indexes.
        var concurrent = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => cluster.ProposeAsync(7, [leader], $"par-{i}")));
        Assert.Equal(50, concurrent.Select(r => r.Index).Distinct().Count());

        await cluster.WaitForAppliedAsync(7, Members, 100);
        var order = cluster.World.Applied(new ReplicaKey(7, leader));
        Assert.Equal(100, order.Count);
        Assert.Equal(sequential.Select((_, i) => $"seq-{i}"), order.Take(50));
        foreach (var member in Members) Assert.Equal(order, cluster.World.Applied(new ReplicaKey(7, member)));
        // The order the state machines applied is the log's: position = the index order of the answers.
        var byIndex = sequential.Concat(concurrent).OrderBy(r => r.Index).Select(r => BitConverter.ToInt32(r.Result));
        Assert.Equal(Enumerable.Range(1, 100), byIndex);

        clock.Restart();
        for (var i = 0; i < 50; i++) await cluster.Replica(7, leader).Status();
        output.WriteLine($"informal, not asserted: propose→applied {perProposal.TotalMilliseconds:0.00} ms each (client→leader, " +
            $"leader→followers→leader over Orleans, in-memory logs); client→grain Status round trip {(clock.Elapsed / 50).TotalMilliseconds:0.00} ms");
    }
}
