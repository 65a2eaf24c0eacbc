using System.Text;
using Coordinator.Grains.Raft;

namespace Coordinator.Tests.Storage;

/// <summary>
/// Writes through to <paramref name="inner"/> with every entry's and snapshot's data prefixed by the group
/// id, so the same workload run on several groups of one shared log leaves different bytes in each: a record
/// recovered into the wrong group shows. Reads pass through unchanged.
/// </summary>
public sealed class GroupTaggedStorage(IRaftLogStorage inner, ulong groupId) : IRaftLogStorage
{
    private readonly byte[] _prefix = Encoding.UTF8.GetBytes($"g{groupId}:");

    private ReadOnlyMemory<byte> Tag(ReadOnlyMemory<byte> data) => (byte[])[.. _prefix, .. data.Span];

    public HardState HardState => inner.HardState;
    public ulong FirstIndex => inner.FirstIndex;
    public ulong LastIndex => inner.LastIndex;
    public bool TryTerm(ulong index, out ulong term) => inner.TryTerm(index, out term);
    public IReadOnlyList<Entry> Entries(ulong lo, ulong hi, long maxBytes) => inner.Entries(lo, hi, maxBytes);
    public Snapshot Snapshot => inner.Snapshot;

    public void Save(HardState? hardState, IReadOnlyList<Entry> entries) =>
        inner.Save(hardState, entries.Select(e => e with { Data = Tag(e.Data) }).ToList());

    public void ApplySnapshot(Snapshot snapshot) => inner.ApplySnapshot(snapshot with { Data = Tag(snapshot.Data) });

    public void CreateSnapshot(ulong index, Membership membership, ReadOnlyMemory<byte> data) =>
        inner.CreateSnapshot(index, membership, Tag(data));
}
