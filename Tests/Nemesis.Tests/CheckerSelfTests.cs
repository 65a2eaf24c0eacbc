using System.Diagnostics;
using Coordinator.Tests.Integration.Faults;
using Xunit;

namespace Coordinator.Tests.Nemesis;

/// <summary>Every checker catches the anomaly it exists for, in a small history made by hand, and passes the
/// same history without it.</summary>
public sealed class CheckerSelfTests
{
    private static Operation Op(OpKind kind, long from, long to, string? value = null, string? read = null, string? expected = null,
        bool succeeded = false, OpOutcome outcome = OpOutcome.Ok, long revision = 0) =>
        new(0, kind, "k", value, expected, from)
        {
            CompletedTicks = to, Outcome = outcome, ReadValue = read, Succeeded = succeeded, Revision = revision,
        };

    [Fact]
    public void Linearizability_CatchesAStaleRead()
    {
        var ok = new[] { Op(OpKind.Put, 0, 1, "a"), Op(OpKind.Put, 2, 3, "b"), Op(OpKind.Get, 4, 5, read: "b") };
        var stale = new[] { Op(OpKind.Put, 0, 1, "a"), Op(OpKind.Put, 2, 3, "b"), Op(OpKind.Get, 4, 5, read: "a") };
        Assert.Equal(Linearizability.Linearizable, LinearizabilityChecker.Check(ok).Verdict);
        Assert.Equal(Linearizability.Violated, LinearizabilityChecker.Check(stale).Verdict);
    }

    [Fact]
    public void Linearizability_AcceptsConcurrencyAndUnknownWrites_RejectsACasOverTheWrongValue()
    {
        // The read overlaps the second put: either value is fine. The unknown put may land late, or never.
        var concurrent = new[] { Op(OpKind.Put, 0, 1, "a"), Op(OpKind.Put, 2, 6, "b"), Op(OpKind.Get, 3, 4, read: "a") };
        var late = new[] { Op(OpKind.Put, 0, 1, "x", outcome: OpOutcome.Unknown), Op(OpKind.Put, 2, 3, "a"), Op(OpKind.Get, 4, 5, read: "x") };
        var never = new[] { Op(OpKind.Put, 0, 1, "x", outcome: OpOutcome.Unknown), Op(OpKind.Put, 2, 3, "a"), Op(OpKind.Get, 4, 5, read: "a") };
        var badCas = new[] { Op(OpKind.Put, 0, 1, "a"), Op(OpKind.Cas, 2, 3, "c", expected: "z", succeeded: true) };
        Assert.Equal(Linearizability.Linearizable, LinearizabilityChecker.Check(concurrent).Verdict);
        Assert.Equal(Linearizability.Linearizable, LinearizabilityChecker.Check(late).Verdict);
        Assert.Equal(Linearizability.Linearizable, LinearizabilityChecker.Check(never).Verdict);
        Assert.Equal(Linearizability.Violated, LinearizabilityChecker.Check(badCas).Verdict);
    }

    [Fact]
    public void Linearizability_PastItsBudget_SaysUnknownNotPass()
    {
        var many = Enumerable.Range(0, 40).Select(i => Op(OpKind.Put, i, 1000 + i, $"v{i}")).Append(Op(OpKind.Get, 2000, 2001, read: "never")).ToList();
        Assert.Equal(Linearizability.Unknown, LinearizabilityChecker.Check(many, budget: 500).Verdict);
    }

    [Fact]
    public void Register_CatchesALostWriteADuplicateAndAPhantom()
    {
        var put = Op(OpKind.Put, 0, 1, "a", revision: 2);
        Assert.Empty(RegisterChecker.Check([put], [new AppliedWrite("k", "a", 2)]));
        Assert.Contains(RegisterChecker.Check([put], []), a => a.StartsWith("acknowledged write not applied"));
        Assert.Contains(RegisterChecker.Check([put], [new AppliedWrite("k", "a", 2), new AppliedWrite("k", "a", 5)]), a => a.StartsWith("applied 2 times"));
        Assert.Contains(RegisterChecker.Check([put], [new AppliedWrite("k", "a", 2), new AppliedWrite("k", "ghost", 3)]), a => a.StartsWith("applied but never written"));
    }

    private static ChangeEvent Put(string key, string value, long rev) => new(false, key, value, rev, rev, 0);

    [Fact]
    public void Watch_CatchesADuplicateAReorderAGapAndAStall()
    {
        var history = new ServerHistory([Put("a", "1", 2), Put("b", "1", 3), Put("a", "2", 4)], 4);
        Assert.Empty(WatchDeliveryChecker.Check("w", history.Events, history));
        Assert.NotEmpty(WatchDeliveryChecker.Check("w", [history.Events[0], history.Events[0], history.Events[1], history.Events[2]], history));
        Assert.NotEmpty(WatchDeliveryChecker.Check("w", [history.Events[1], history.Events[0], history.Events[2]], history));
        Assert.NotEmpty(WatchDeliveryChecker.Check("w", [history.Events[0], history.Events[2]], history));
        Assert.NotEmpty(WatchDeliveryChecker.Check("w", [history.Events[0]], history));
    }

    [Fact]
    public void Lease_CatchesAnEarlyExpiryALingeringRevokeAndAnImmortalKey()
    {
        var second = Stopwatch.Frequency;
        LeaseObservation Lease(params LeaseRead[] reads) => new("/l", 0, reads);
        Assert.Empty(LeaseChecker.Check([Lease(new LeaseRead(0, second, true, false), new LeaseRead(3 * second, 3 * second, false, false))], 2 * second, second, []));
        Assert.NotEmpty(LeaseChecker.Check([Lease(new LeaseRead(0, second, false, false))], 2 * second, second, []));
        Assert.NotEmpty(LeaseChecker.Check([Lease(new LeaseRead(second, second, true, true))], 2 * second, second, []));
        Assert.NotEmpty(LeaseChecker.Check([], 2 * second, second, ["/l"]));
    }

    [Fact]
    public void Lock_CatchesALostUpdateAndOverlappingHolders()
    {
        Assert.Empty(LockChecker.Check([Put("c", "1 10", 11), Put("c", "2 12", 13)], [("2 12", 13)]));
        Assert.NotEmpty(LockChecker.Check([Put("c", "1 10", 11), Put("c", "1 12", 13)], []));
        Assert.NotEmpty(LockChecker.Check([Put("c", "1 12", 13), Put("c", "2 10", 14)], []));
        Assert.NotEmpty(LockChecker.Check([Put("c", "1 10", 11)], [("2 12", 13)]));
    }

    [Fact]
    public void Election_CatchesALeaderElectedWhileAnOlderOneLeads()
    {
        var events = new List<ChangeEvent>
        {
            Put("e/1", "a", 5), Put("e/2", "b", 6),
            new(false, "e/1", "a-leading", 7, 5, 0), new(false, "e/2", "b-leading", 8, 6, 0),
        };
        Assert.Empty(ElectionChecker.Check(events, [new ElectionTerm("e/1", 5, 7)]));
        Assert.NotEmpty(ElectionChecker.Check(events, [new ElectionTerm("e/2", 6, 8)]));
        Assert.NotEmpty(ElectionChecker.Check(events, [new ElectionTerm("e/3", 9, null)]));
    }

    [Fact]
    public void Txn_CatchesAPartialWriteAndAPartialRead()
    {
        var write = new TxnObservation(true, "v", true, true, 5, []);
        var whole = new[] { Put("x", "v", 5), Put("y", "v", 5) };
        Assert.Empty(TxnAtomicityChecker.Check(whole, 2, [write, new TxnObservation(false, null, true, true, 6, ["v", "v"])]));
        Assert.NotEmpty(TxnAtomicityChecker.Check([Put("x", "v", 5), Put("y", "v", 6)], 2, [write]));
        Assert.NotEmpty(TxnAtomicityChecker.Check(whole, 2, [write, new TxnObservation(false, null, true, true, 6, ["v", null])]));
    }
}
