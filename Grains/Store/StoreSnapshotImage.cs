namespace Coordinator.Grains.Store;

/// <summary>
/// A point-in-time copy of a <see cref="KvStore"/>'s state, taken in time proportional to the number of
/// records (values are shared, never copied: written arena bytes are immutable). Encoding it (<see cref="WriteTo"/>)
/// may then run on any thread while the store keeps applying, so a snapshot's serialization and disk writes
/// need not stall the replica loop. Immutable after capture.
/// </summary>
public sealed class StoreSnapshotImage
{
    internal readonly long CurrentRevision;
    internal readonly long CompactRevision;
    internal readonly ulong AppliedIndex;
    internal readonly (long Id, long Ttl, long RemainingTtl)[] Leases;
    internal readonly byte[][] Keys;
    internal readonly int[] RecordStarts;  // records of Keys[i] are Records[RecordStarts[i]..RecordStarts[i + 1]]
    internal readonly KeyRecord[] Records;
    internal readonly ValueChunks Values;  // resolves Records[i].Value
    private readonly RequestSessionTable<RecordedOutcome> _sessions;
    private byte[]? _sessionBytes;

    internal StoreSnapshotImage(long currentRevision, long compactRevision, ulong appliedIndex,
        IEnumerable<Lease> leases, KeyIndex index, ValueChunks values, RequestSessionTable<RecordedOutcome> sessions)
    {
        _sessions = sessions.Clone();
        Values = values;
        CurrentRevision = currentRevision;
        CompactRevision = compactRevision;
        AppliedIndex = appliedIndex;
        Leases = leases.Select(l => (l.Id, l.Ttl, l.RemainingTtl)).ToArray();
        Keys = new byte[index.Count][];
        RecordStarts = new int[index.Count + 1];
        var total = 0;
        var k = 0;
        foreach (var history in index.All())
        {
            Keys[k++] = history.Key;
            total += history.Count;
        }
        Records = new KeyRecord[total];
        var at = 0;
        k = 0;
        foreach (var history in index.All())
        {
            RecordStarts[k++] = at;
            history.Records.CopyTo(Records.AsSpan(at));
            at += history.Count;
        }
        RecordStarts[k] = at;
    }

    /// <summary>The session table's encoding, made once on first use (off the loop).</summary>
    internal byte[] SessionBytes
    {
        get
        {
            if (Volatile.Read(ref _sessionBytes) is { } done) return done;
            using var buffer = new MemoryStream();
            using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
                _sessions.WriteTo(writer, (w, outcome) => outcome.WriteTo(w));
            return Interlocked.CompareExchange(ref _sessionBytes, buffer.ToArray(), null) ?? _sessionBytes!;
        }
    }

    /// <summary>The applied Raft index the image reflects.</summary>
    public ulong Index => AppliedIndex;

    public int KeyCount => Keys.Length;

    /// <summary>Bytes <see cref="WriteTo"/> will write.</summary>
    public long EncodedLength => StoreSnapshot.EncodedLength(this);

    /// <summary>Encodes the image in <see cref="StoreSnapshot"/>'s format. Thread-safe.</summary>
    public void WriteTo(Stream destination) => StoreSnapshot.Write(destination, this);
}
