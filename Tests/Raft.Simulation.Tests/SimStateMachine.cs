using System.Buffers.Binary;
using Coordinator.Grains.Raft;

namespace Coordinator.Tests.Simulation;

/// <summary>
/// The simulated host's state machine: a hash chain over every applied entry, so two replicas with
/// equal (index, hash) applied exactly the same entries. Snapshot data is (index, hash).
/// </summary>
internal sealed class SimStateMachine
{
    public ulong AppliedIndex { get; private set; }
    public ulong Hash { get; private set; }

    public void Apply(Entry e)
    {
        if (e.Index != AppliedIndex + 1)
            throw new SimulationFailure($"applied {e.Index} after {AppliedIndex}: entries skipped or repeated");
        AppliedIndex = e.Index;
        Hash = Mix(Hash, e);
    }

    public static ulong Mix(ulong hash, Entry e)
    {
        var h = hash ^ (e.Index * 0x9E3779B97F4A7C15UL) ^ (e.Term << 17) ^ (ulong)e.Type;
        foreach (var b in e.Data.Span) h = (h ^ b) * 0x100000001B3UL;
        return h * 0xBF58476D1CE4E5B9UL;
    }

    public byte[] Snapshot()
    {
        var data = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(data, AppliedIndex);
        BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(8), Hash);
        return data;
    }

    public void Restore(Snapshot snapshot)
    {
        if (snapshot.IsEmpty) { AppliedIndex = 0; Hash = 0; return; }
        var span = snapshot.Data.Span;
        AppliedIndex = BinaryPrimitives.ReadUInt64LittleEndian(span);
        Hash = BinaryPrimitives.ReadUInt64LittleEndian(span[8..]);
        if (AppliedIndex != snapshot.Metadata.Index)
            throw new SimulationFailure($"snapshot at {snapshot.Metadata.Index} holds state of {AppliedIndex}");
    }

    /// <summary>The proposal id a client put in an entry (0 for no-ops and config changes).</summary>
    public static ulong ProposalId(Entry e) =>
        e.Type == EntryType.Normal && e.Data.Length == 8 ? BinaryPrimitives.ReadUInt64LittleEndian(e.Data.Span) : 0;
}

/// <summary>An invariant was violated; the message names it.</summary>
internal sealed class SimulationFailure(string message) : Exception(message);
