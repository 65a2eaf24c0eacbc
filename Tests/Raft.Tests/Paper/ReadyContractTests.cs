using Coordinator.Grains.Raft;
using Coordinator.Tests.Raft.Harness;
using Xunit;

namespace Coordinator.Tests.Raft.Paper;

/// <summary>The host contract of <see cref="Ready"/> and the group id on every message.</summary>
public sealed class ReadyContractTests
{
    [Fact]
    public void GetReadyTwiceWithoutAdvanceThrows()
    {
        var r = new Replica(Network.DefaultOptions(1), Bootstrap.Storage(3));
        var rd = r.GetReady();
        Assert.False(r.HasReady);
        Assert.Throws<InvalidOperationException>(() => r.GetReady());
        r.Advance(rd);
        Assert.Throws<InvalidOperationException>(() => r.Advance(rd));
    }

    [Fact]
    public void StepBetweenGetReadyAndAdvanceGoesInTheNextReady()
    {
        var storage = Bootstrap.Storage(3);
        var r = new Replica(Network.DefaultOptions(1), storage);
        var boot = r.GetReady();
        storage.Save(boot.HardState, boot.Entries);
        r.Advance(boot);
        var rd = r.GetReady();                      // nothing to do yet
        r.Campaign();                               // happens while rd is out
        Assert.Empty(rd.Messages);
        r.Advance(rd);
        var next = r.GetReady();
        Assert.Equal(2, next.Messages.Count(m => m.Type == MessageType.Vote));
        Assert.Equal(2UL, next.HardState!.Value.Term);
    }

    [Fact]
    public void CommittedEntriesHandedOutInOrderExactlyOnce()
    {
        var net = Network.Create(3, o => o with { MaxCommittedBytesPerReady = 60 }); // ~2 entries per Ready
        net.Campaign(1);
        net.Stabilize();
        for (var i = 0; i < 20; i++) net.Propose(1, $"p{i}");
        net.Stabilize();
        foreach (var n in net.Nodes)
        {
            var handed = n.Readies.SelectMany(rd => rd.CommittedEntries).Select(e => e.Index).ToList();
            Assert.Equal(Enumerable.Range(1, (int)n.Replica.Committed).Select(i => (ulong)i), handed);
            Assert.True(n.Readies.Max(rd => rd.CommittedEntries.Count) < 20);
        }
    }

    [Fact]
    public void MessagesOfAnotherGroupAreIgnored()
    {
        var net = Network.Create(3);
        net.Step(new Message { Group = 2, Type = MessageType.Vote, From = 2, To = 1, Term = 9, Index = 3, LogTerm = 1 });
        net.Step(new Message { Group = 2, Type = MessageType.Append, From = 2, To = 1, Term = 9, Index = 3, LogTerm = 1, Entries = new[] { new Entry(4, 9) } });
        Assert.Empty(net.InFlight);
        Assert.Equal(1UL, net[1].Replica.Term);
        Assert.Equal(3UL, net[1].Replica.LastIndex);
    }

    [Fact]
    public void EveryOutgoingMessageCarriesTheGroup()
    {
        var net = Network.Create(3, o => o with { Group = 7 });
        net.Campaign(1);
        net.Stabilize();
        net.Propose(2, "x");
        net.ReadIndex(3, 1);
        net.TransferLeadership(2, 3);
        net.Stabilize();
        Assert.NotEmpty(net.Sent);
        Assert.All(net.Sent, m => Assert.Equal(7UL, m.Group));
        Assert.Contains(net.Sent, m => m.Type == MessageType.Propose);
        Assert.Contains(net.Sent, m => m.Type == MessageType.ReadIndex);
        Assert.Contains(net.Sent, m => m.Type == MessageType.TimeoutNow);
    }

    [Fact]
    public void MustSyncOnlyForNewEntriesTermOrVote()
    {
        var net = Network.Create(3);
        net.Campaign(1);
        net.Stabilize();
        net.Tick(1);
        var beatReady = net[1].Readies[^1];
        Assert.NotEmpty(beatReady.Messages);
        Assert.False(beatReady.MustSync);           // heartbeats need no fsync
        net.Propose(1, "x");
        Assert.True(net[1].Readies[^1].MustSync);
    }
}
