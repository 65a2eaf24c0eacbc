using Coordinator.Grains.Raft;

namespace Coordinator.Tests.Simulation;

/// <summary>
/// The simulated network: each message gets a random delay (so messages reorder), may be dropped or
/// duplicated, and is blocked by partitions. A blocked link is one-way; a symmetric partition blocks both.
/// A blocked message is dropped, or — as TCP buffers and retransmits across a silent partition — held and
/// delivered after the heal, long after anyone expected it (a forwarded proposal outliving a leader change).
/// Links join hosts, not replicas: <paramref name="hostOf"/> names the host of a replica id, so a partition
/// between two hosts cuts every group's traffic between them at once. <paramref name="deliver"/> hands a
/// message to its destination's host (which drops it while down).
/// </summary>
internal sealed class SimNetwork(Random random, EventQueue events, Func<ulong, ulong> hostOf, Action<Message> deliver)
{
    private readonly HashSet<(ulong From, ulong To)> _blocked = new();
    private readonly List<Message> _held = new();

    public double DropRate { get; set; }
    public double DuplicateRate { get; set; }
    /// <summary>Share of blocked messages held until the next heal instead of dropped.</summary>
    public double HoldRate { get; set; }
    public long Held { get; private set; }
    public int MaxDelay { get; set; } = 8;
    public long Sent { get; private set; }

    public void Block(ulong from, ulong to) => _blocked.Add((from, to));

    /// <summary>Splits the members into two sides that cannot talk to each other.</summary>
    public void Partition(IReadOnlyCollection<ulong> side, IReadOnlyCollection<ulong> rest)
    {
        foreach (var a in side)
            foreach (var b in rest) { Block(a, b); Block(b, a); }
    }

    public void Isolate(ulong id, IEnumerable<ulong> all)
    {
        foreach (var other in all)
            if (other != id) { Block(id, other); Block(other, id); }
    }

    /// <summary>Unblocks every link and delivers what was held, in order per link, after the usual delays.</summary>
    public void Heal()
    {
        _blocked.Clear();
        foreach (var m in _held) Schedule(m);
        _held.Clear();
    }

    public int BlockedLinks => _blocked.Count;

    public void Send(Message m)
    {
        Sent++;
        if (_blocked.Contains((hostOf(m.From), hostOf(m.To))))
        {
            if (random.NextDouble() < HoldRate) { _held.Add(m); Held++; }
            return;
        }
        if (random.NextDouble() < DropRate) return;
        Schedule(m);
        if (random.NextDouble() < DuplicateRate) Schedule(m);
    }

    private void Schedule(Message m)
    {
        events.After(1 + random.Next(MaxDelay), () => deliver(m));
    }
}
