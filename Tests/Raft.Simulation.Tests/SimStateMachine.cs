using System.Buffers.Binary;
using Coordinator.Grains.Raft;
using Coordinator.Grains.Store;

namespace Coordinator.Tests.Simulation;

/// <summary>A proposal's payload: the checkers' global id, and what the state machine's session table reads —
/// the client session, the request's sequence number in it, and the client's floor when it proposed.</summary>
internal readonly record struct SimProposal(ulong Id, ulong Session, ulong Sequence, ulong Floor)
{
    public const int Size = 32;

    public byte[] Encode()
    {
        var data = new byte[Size];
        BinaryPrimitives.WriteUInt64LittleEndian(data, Id);
        BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(8), Session);
        BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(16), Sequence);
        BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(24), Floor);
        return data;
    }

    public static SimProposal? Decode(Entry e)
    {
        if (e.Type != EntryType.Normal || e.Data.Length != Size) return null;
        var s = e.Data.Span;
        return new SimProposal(BinaryPrimitives.ReadUInt64LittleEndian(s), BinaryPrimitives.ReadUInt64LittleEndian(s[8..]),
            BinaryPrimitives.ReadUInt64LittleEndian(s[16..]), BinaryPrimitives.ReadUInt64LittleEndian(s[24..]));
    }
}

/// <summary>The first application of a proposal, as the session table remembers it.</summary>
internal sealed record FirstApplied(ulong Index);

/// <summary>What applying one proposal did.</summary>
internal readonly record struct SimApplyOutcome(SimProposal Proposal, SessionVerdict Verdict, ulong FirstIndex);

/// <summary>
/// The simulated host's state machine: a hash chain over every applied entry and the verdict the request session
/// table (the store's own, <see cref="RequestSessionTable{TResult}"/>) gave it, so two replicas with equal
/// (index, hash) applied exactly the same entries with the same effects. Snapshot data is (index, hash, table).
/// With <paramref name="atMostOnce"/> off every entry takes effect (the behaviour before the table existed).
/// </summary>
internal sealed class SimStateMachine(bool atMostOnce = true)
{
    private RequestSessionTable<FirstApplied> _sessions = new();

    public ulong AppliedIndex { get; private set; }
    public ulong Hash { get; private set; }

    public SimApplyOutcome? Apply(Entry e)
    {
        if (e.Index != AppliedIndex + 1)
            throw new SimulationFailure($"applied {e.Index} after {AppliedIndex}: entries skipped or repeated");
        AppliedIndex = e.Index;
        Hash = Mix(Hash, e);
        if (SimProposal.Decode(e) is not { } p) return null;
        FirstApplied? first = null;
        var verdict = atMostOnce ? _sessions.Check(p.Session, p.Sequence, out first) : SessionVerdict.New;
        if (atMostOnce && verdict == SessionVerdict.New) _sessions.Record(p.Session, p.Sequence, p.Floor, e.Index, new FirstApplied(e.Index));
        else if (atMostOnce) _sessions.Observe(p.Session, p.Floor, e.Index);
        Hash = (Hash ^ (ulong)verdict) * 0x100000001B3UL;
        return new SimApplyOutcome(p, verdict, verdict == SessionVerdict.New ? e.Index : first?.Index ?? 0);
    }

    public static ulong Mix(ulong hash, Entry e)
    {
        var h = hash ^ (e.Index * 0x9E3779B97F4A7C15UL) ^ (e.Term << 17) ^ (ulong)e.Type;
        foreach (var b in e.Data.Span) h = (h ^ b) * 0x100000001B3UL;
        return h * 0xBF58476D1CE4E5B9UL;
    }

    public byte[] Snapshot()
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(AppliedIndex);
            writer.Write(Hash);
            _sessions.WriteTo(writer, (w, r) => w.Write(r.Index));
        }
        return buffer.ToArray();
    }

    public void Restore(Snapshot snapshot)
    {
        if (snapshot.IsEmpty) { AppliedIndex = 0; Hash = 0; _sessions = new(); return; }
        using var reader = new BinaryReader(new MemoryStream(snapshot.Data.ToArray()));
        AppliedIndex = reader.ReadUInt64();
        Hash = reader.ReadUInt64();
        _sessions = RequestSessionTable<FirstApplied>.ReadFrom(reader, r => new FirstApplied(r.ReadUInt64()));
        if (AppliedIndex != snapshot.Metadata.Index)
            throw new SimulationFailure($"snapshot at {snapshot.Metadata.Index} holds state of {AppliedIndex}");
    }

    /// <summary>The proposal id a client put in an entry (0 for no-ops and config changes).</summary>
    public static ulong ProposalId(Entry e) => SimProposal.Decode(e)?.Id ?? 0;
}

/// <summary>An invariant was violated; the message names it.</summary>
internal sealed class SimulationFailure(string message) : Exception(message);
