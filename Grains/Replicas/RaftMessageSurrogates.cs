using System.Collections.Immutable;
using Coordinator.Grains.Raft;

namespace Coordinator.Grains.Replicas;

// Orleans' wire form of the Raft core's types (which know nothing of Orleans): one surrogate and one
// converter per type. Payloads travel as ReadOnlyMemory<byte>; a decoded message never aliases a buffer.

[GenerateSerializer]
public struct MessageSurrogate
{
    [Id(0)] public ulong Group;
    [Id(1)] public byte Type;
    [Id(2)] public ulong From;
    [Id(3)] public ulong To;
    [Id(4)] public ulong Term;
    [Id(5)] public ulong LogTerm;
    [Id(6)] public ulong Index;
    [Id(7)] public Entry[]? Entries;
    [Id(8)] public ulong Commit;
    [Id(9)] public bool Reject;
    [Id(10)] public ulong RejectHint;
    [Id(11)] public Snapshot? Snapshot;
    [Id(12)] public ulong Context;
    [Id(13)] public bool LeaderTransfer;
    [Id(14)] public bool Quiesce;
}

[RegisterConverter]
public sealed class MessageSurrogateConverter : IConverter<Message, MessageSurrogate>
{
    public Message ConvertFromSurrogate(in MessageSurrogate s) => new()
    {
        Group = s.Group, Type = (MessageType)s.Type, From = s.From, To = s.To, Term = s.Term, LogTerm = s.LogTerm,
        Index = s.Index, Entries = s.Entries ?? [], Commit = s.Commit, Reject = s.Reject, RejectHint = s.RejectHint,
        Snapshot = s.Snapshot, Context = s.Context, LeaderTransfer = s.LeaderTransfer, Quiesce = s.Quiesce,
    };

    public MessageSurrogate ConvertToSurrogate(in Message m) => new()
    {
        Group = m.Group, Type = (byte)m.Type, From = m.From, To = m.To, Term = m.Term, LogTerm = m.LogTerm,
        Index = m.Index, Entries = m.Entries.Count == 0 ? null : m.Entries as Entry[] ?? m.Entries.ToArray(),
        Commit = m.Commit, Reject = m.Reject, RejectHint = m.RejectHint, Snapshot = m.Snapshot, Context = m.Context,
        LeaderTransfer = m.LeaderTransfer, Quiesce = m.Quiesce,
    };
}

[GenerateSerializer]
public struct EntrySurrogate
{
    [Id(0)] public ulong Index;
    [Id(1)] public ulong Term;
    [Id(2)] public byte Type;
    [Id(3)] public ReadOnlyMemory<byte> Data;
}

[RegisterConverter]
public sealed class EntrySurrogateConverter : IConverter<Entry, EntrySurrogate>
{
    public Entry ConvertFromSurrogate(in EntrySurrogate s) => new(s.Index, s.Term, (EntryType)s.Type, s.Data);

    public EntrySurrogate ConvertToSurrogate(in Entry e) => new() { Index = e.Index, Term = e.Term, Type = (byte)e.Type, Data = e.Data };
}

[GenerateSerializer]
public struct SnapshotSurrogate
{
    [Id(0)] public ulong Index;
    [Id(1)] public ulong Term;
    [Id(2)] public ulong[] Voters;
    [Id(3)] public ulong[] Learners;
    [Id(4)] public ReadOnlyMemory<byte> Data;
}

[RegisterConverter]
public sealed class SnapshotSurrogateConverter : IConverter<Snapshot, SnapshotSurrogate>
{
    public Snapshot ConvertFromSurrogate(in SnapshotSurrogate s) =>
        new(new SnapshotMetadata(s.Index, s.Term,
            new Membership(ImmutableSortedSet.CreateRange(s.Voters ?? []), ImmutableSortedSet.CreateRange(s.Learners ?? []))), s.Data);

    public SnapshotSurrogate ConvertToSurrogate(in Snapshot s) => new()
    {
        Index = s.Metadata.Index, Term = s.Metadata.Term,
        Voters = s.Metadata.Membership.Voters.ToArray(), Learners = s.Metadata.Membership.Learners.ToArray(), Data = s.Data,
    };
}
