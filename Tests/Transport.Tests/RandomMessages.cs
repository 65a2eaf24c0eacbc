using System.Collections.Immutable;
using Coordinator.Grains.Raft;

namespace Coordinator.Tests.Transport;

/// <summary>Seeded generator of arbitrary (not necessarily meaningful) messages covering every field.</summary>
internal sealed class RandomMessages(int seed)
{
    private readonly Random _random = new(seed);

    public Message Next()
    {
        var entries = new Entry[_random.Next(4) == 0 ? _random.Next(20) : 0];
        for (var i = 0; i < entries.Length; i++)
            entries[i] = new Entry(Id(), Id(), (EntryType)_random.Next(2), Bytes(_random.Next(3) == 0 ? 2000 : 40));
        return new Message
        {
            Group = Id(), Type = (MessageType)_random.Next((int)MessageType.ReadIndexResponse + 1),
            From = Id(), To = Id(), Term = Id(), LogTerm = Id(), Index = Id(), Entries = entries, Commit = Id(),
            Reject = _random.Next(2) == 0, RejectHint = Id(), Context = Id(), LeaderTransfer = _random.Next(2) == 0, Quiesce = _random.Next(2) == 0,
            Snapshot = _random.Next(5) == 0 ? NextSnapshot() : null,
        };
    }

    private Snapshot NextSnapshot()
    {
        var voters = Enumerable.Range(0, _random.Next(6)).Select(_ => Id()).ToImmutableSortedSet();
        var learners = Enumerable.Range(0, _random.Next(3)).Select(_ => Id()).Where(id => !voters.Contains(id)).ToImmutableSortedSet();
        return new Snapshot(new SnapshotMetadata(Id(), Id(), new Membership(voters, learners)), Bytes(5000));
    }

    /// <summary>Mixes small, boundary and huge values so every varint length is exercised.</summary>
    private ulong Id() => _random.Next(6) switch
    {
        0 => 0,
        1 => (ulong)_random.Next(128),
        2 => ulong.MaxValue - (ulong)_random.Next(3),
        3 => 1UL << _random.Next(64),
        _ => (ulong)_random.NextInt64(),
    };

    private byte[] Bytes(int maxLength)
    {
        var bytes = new byte[_random.Next(maxLength + 1)];
        _random.NextBytes(bytes);
        return bytes;
    }
}
