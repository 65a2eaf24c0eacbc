namespace Coordinator.Grains.Raft;

/// <summary>
/// An in-memory <see cref="IRaftLogStorage"/>: for tests, the simulator's "synced" disk, and hosts that
/// do not persist. Entries live in a list whose first element sits at <see cref="FirstIndex"/>.
/// </summary>
public sealed class MemoryLogStorage : IRaftLogStorage
{
    private readonly List<Entry> _entries = new(); // _entries[i].Index == FirstIndex + i
    private Snapshot _snapshot = Snapshot.Empty;

    public HardState HardState { get; private set; }
    public Snapshot Snapshot => _snapshot;
    public SnapshotMetadata SnapshotMetadata => _snapshot.Metadata;
    public ulong FirstIndex => _snapshot.Metadata.Index + 1;
    public ulong LastIndex => _snapshot.Metadata.Index + (ulong)_entries.Count;

    public bool TryTerm(ulong index, out ulong term)
    {
        var snap = _snapshot.Metadata.Index;
        if (index == snap) { term = _snapshot.Metadata.Term; return true; }
        if (index < snap || index > LastIndex) { term = 0; return false; }
        term = _entries[(int)(index - FirstIndex)].Term;
        return true;
    }

    public IReadOnlyList<Entry> Entries(ulong lo, ulong hi, long maxBytes)
    {
        if (lo < FirstIndex || hi > LastIndex + 1 || lo >= hi)
            throw new ArgumentOutOfRangeException(nameof(lo), $"entries [{lo},{hi}) outside [{FirstIndex},{LastIndex + 1})");
        var result = new List<Entry>();
        long size = 0;
        for (var i = lo; i < hi; i++)
        {
            var e = _entries[(int)(i - FirstIndex)];
            size += e.Size;
            if (result.Count > 0 && size > maxBytes) break;
            result.Add(e);
        }
        return result;
    }

    public void Save(HardState? hardState, IReadOnlyList<Entry> entries)
    {
        if (entries.Count > 0)
        {
            var first = entries[0].Index;
            if (first > LastIndex + 1)
                throw new InvalidOperationException($"gap: appending {first} after {LastIndex}");
            // Entries at or below the snapshot are already covered by it.
            var skip = first < FirstIndex ? (int)Math.Min((ulong)entries.Count, FirstIndex - first) : 0;
            if (skip < entries.Count)
            {
                var start = entries[skip].Index;
                _entries.RemoveRange((int)(start - FirstIndex), (int)(LastIndex + 1 - start));
                for (var i = skip; i < entries.Count; i++) _entries.Add(entries[i]);
            }
        }
        if (hardState is { } hs) HardState = hs;
    }

    public void ApplySnapshot(Snapshot snapshot)
    {
        if (snapshot.Metadata.Index <= _snapshot.Metadata.Index)
            throw new InvalidOperationException($"snapshot {snapshot.Metadata.Index} is not newer than {_snapshot.Metadata.Index}");
        _snapshot = snapshot;
        _entries.Clear();
    }

    public void CreateSnapshot(ulong index, Membership membership, ReadOnlyMemory<byte> data)
    {
        if (index <= _snapshot.Metadata.Index) return; // already covered
        if (index > LastIndex) throw new ArgumentOutOfRangeException(nameof(index), $"snapshot {index} beyond last index {LastIndex}");
        TryTerm(index, out var term);
        var drop = (int)(index - _snapshot.Metadata.Index);
        _entries.RemoveRange(0, drop);
        _snapshot = new Snapshot(new SnapshotMetadata(index, term, membership), data);
    }
}
