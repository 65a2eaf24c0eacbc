using Coordinator.Grains.Raft;

namespace Coordinator.Silo.Storage;

/// <summary>
/// Where one log entry lives on disk, kept in memory for every entry above the snapshot instead of its
/// payload: the entries record (frame) holding it in segment <see cref="Segment"/>, and the entry's position
/// inside that record's payload. 32 bytes.
/// </summary>
internal readonly record struct EntryLocation(ulong Term, long RecordOffset, uint Segment, int RecordLength, int EntryOffset, int DataLength)
{
    /// <summary>The entry's <see cref="Entry.Size"/>.</summary>
    public long Size => Entry.SizeOf(DataLength);
}
