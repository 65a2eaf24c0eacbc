using System.Diagnostics;
using Coordinator.Grains.Raft;
using Coordinator.Tests.Raft.Harness;
using Xunit;
using Xunit.Abstractions;

namespace Coordinator.Tests.Raft.Quiescence;

/// <summary>
/// What 1,000 idle groups cost in the consensus core: 3 replicas each, quiet after 5 idle ticks. The
/// assertion is on messages (a quiet group sends none over 1,000 ticks, an awake one heartbeats); memory and
/// CPU are printed to the test output, never asserted (speed belongs in benchmarks).
/// </summary>
public sealed class IdleGroupsCostTests(ITestOutputHelper output)
{
    private const int Groups = 1_000;
    private const int Ticks = 1_000;

    private static Network Group(ulong group, int quietAfter)
    {
        var net = Network.Create(3, o => o with { Group = group, PreVote = true, CheckQuorum = true, QuiesceAfterTicks = quietAfter });
        net.Campaign(1);
        net.Stabilize();
        net.Propose(1, "x");
        net.Stabilize();
        return net;
    }

    private static void Forget(Network net)
    {
        net.Sent.Clear();
        foreach (var n in net.Nodes) { n.Readies.Clear(); n.ReadStates.Clear(); }
    }

    private static (long Messages, TimeSpan Cpu) TickEveryReplica(IReadOnlyList<Network> groups, int ticks)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        long messages = 0;
        for (var t = 0; t < ticks; t++)
        {
            foreach (var net in groups)
            {
                var before = net.Sent.Count;
                net.TickAll(stabilize: true);
                messages += net.Sent.Count - before;
                net.Sent.Clear();
            }
        }
        return (messages, Process.GetCurrentProcess().TotalProcessorTime - cpu);
    }

    [Fact]
    public void A_thousand_quiet_groups_send_nothing_while_awake_ones_heartbeat()
    {
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var quiet = new List<Network>(Groups);
        for (var g = 1UL; g <= Groups; g++)
        {
            var net = Group(g, quietAfter: 5);
            net.TickAll(10);
            Assert.All(net.Nodes, n => Assert.True(n.Replica.IsQuiesced));
            Forget(net);
            quiet.Add(net);
        }
        var heapAfter = GC.GetTotalMemory(forceFullCollection: true);

        // Quiet replicas are ticked bare (no host loop around them): a tick must leave nothing to do.
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var replicas = quiet.SelectMany(net => net.Nodes.Select(n => n.Replica)).ToArray();
        for (var t = 0; t < Ticks; t++)
            foreach (var replica in replicas) replica.Tick();
        var quietCpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        var quietReadies = replicas.Count(r => r.HasReady);
        Assert.Equal(0, quietReadies);
        var (quietMessages, _) = TickEveryReplica(quiet, 10);
        Assert.Equal(0, quietMessages);

        // The same work for a tenth as many groups that never go quiet, for contrast.
        var awake = Enumerable.Range(1, Groups / 10).Select(g => Group((ulong)g, quietAfter: 0)).ToList();
        awake.ForEach(Forget);
        var (awakeMessages, awakeCpu) = TickEveryReplica(awake, Ticks);
        Assert.True(awakeMessages >= (long)awake.Count * Ticks * 4, $"awake groups sent {awakeMessages} messages");

        output.WriteLine($"{Groups} quiet groups x 3 replicas: heap {(heapAfter - heapBefore) / 1024.0 / Groups:F1} KiB per group " +
                         "(replicas, in-memory logs and the test host's records)");
        output.WriteLine($"{Ticks} ticks of every replica: {Groups} quiet groups {quietReadies} Readies, {quietCpu.TotalMilliseconds:F0} ms CPU " +
                         $"(bare ticks); {awake.Count} awake groups {awakeMessages} messages, {awakeCpu.TotalMilliseconds:F0} ms CPU " +
                         $"with the test host delivering them (≈ {awakeCpu.TotalMilliseconds * 10:F0} ms for {Groups})");
        GC.KeepAlive(quiet);
    }
}
