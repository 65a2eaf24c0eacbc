using Coordinator.Grains.Raft;
using StackExchange.Redis;

namespace Coordinator.Silo.RedisStorage;

/// <summary>
/// The durable <see cref="IRaftLogStorage"/> of one replica in Redis, for silos without disks of their own.
/// <para>
/// Durability: the Redis must run with appendonly yes and appendfsync always (checked at open; Redis 7 answers
/// a write only after its AOF fsync), and, when <see cref="RedisLogOptions.WaitReplicas"/> is set, each write
/// waits for that many Redis replicas. A write returns only once durable; any write that fails or whose outcome
/// is unknown fails this storage for good (<see cref="RedisLogUnavailableException"/>): the replica reports
/// itself down and a new activation reopens the log and sees what Redis really holds.
/// </para>
/// <para>
/// Fencing: opening takes a new owner epoch (INCR, atomically); every later write is a script that first checks
/// the epoch, so once a newer activation has opened the log every write of this one fails with
/// <see cref="ReplicaFencedException"/> and changes nothing. Two live activations can never both write.
/// </para>
/// Memory holds the entries above the snapshot (snapshots bound it) and the snapshot's metadata; the snapshot's
/// data is read from its chunks when asked for. Writes are serialized by the host; reads happen between them.
/// </summary>
public sealed class RedisLogStorage : IRaftLogStorage, IDisposable
{
    private readonly RedisLogOptions _options;
    private readonly RedisLogKeys _keys;
    private readonly IDatabase _db;
    private readonly long _epoch;
    private readonly List<Entry> _entries; // indexes _first .. _first + Count - 1
    private ulong _first;
    private HardState _hardState;
    private SnapshotMetadata _snapshotMeta;
    private string _snapshotId;
    private int _snapshotChunks;
    private int _snapshotLength;
    private WeakReference<Snapshot>? _loadedSnapshot;
    private long _snapshotCounter;
    private Exception? _failure;
    private bool _disposed;

    private RedisLogStorage(RedisLogOptions options, long epoch)
    {
        _options = options;
        _keys = new RedisLogKeys(options.Replica);
        _db = options.Redis.GetDatabase();
        _epoch = epoch;
        var meta = _db.HashGetAll(_keys.Meta).ToDictionary(e => e.Name.ToString(), e => (byte[]?)e.Value);
        _hardState = RedisLogCodec.DecodeHardState(meta.GetValueOrDefault("hs"));
        (_snapshotMeta, _snapshotChunks, _snapshotLength) = RedisLogCodec.DecodeSnapshotMeta(meta.GetValueOrDefault("snap"));
        _snapshotId = meta.GetValueOrDefault("snapid") is { } id ? System.Text.Encoding.ASCII.GetString(id) : "";
        _first = meta.GetValueOrDefault("first") is { } f ? ulong.Parse(System.Text.Encoding.ASCII.GetString(f)) : 1;
        if (_first != _snapshotMeta.Index + 1) throw new InvalidDataException($"replica log {options.Replica}: first index {_first} does not follow its snapshot {_snapshotMeta.Index}");
        var values = _db.ListRange(_keys.Log);
        _entries = new List<Entry>(values.Length);
        for (var i = 0; i < values.Length; i++) _entries.Add(RedisLogCodec.DecodeEntry(_first + (ulong)i, (byte[])values[i]!));
    }

    /// <summary>Opens the replica's log, taking ownership of it: from now on only this instance may write it.
    /// Throws <see cref="RedisLogUnavailableException"/> when that Redis cannot keep it durably.</summary>
    public static RedisLogStorage Open(RedisLogOptions options)
    {
        var db = options.Redis.GetDatabase();
        if (options.RequireFsyncAlways) CheckDurable(options);
        var keys = new RedisLogKeys(options.Replica);
        var epoch = (long)db.ScriptEvaluate(RedisLogScripts.TakeOwnership, new[] { keys.Owner });
        return new RedisLogStorage(options, epoch);
    }

    /// <summary>This activation's owner epoch.</summary>
    public long Epoch => _epoch;

    private static void CheckDurable(RedisLogOptions options)
    {
        var server = options.Redis.GetServers().FirstOrDefault(s => s.IsConnected)
                     ?? throw new RedisLogUnavailableException($"replica log {options.Replica}: no Redis server is connected");
        string Config(string name) => server.ConfigGet(name).FirstOrDefault().Value ?? "";
        if (!string.Equals(Config("appendonly"), "yes", StringComparison.OrdinalIgnoreCase) ||
            !string.Equals(Config("appendfsync"), "always", StringComparison.OrdinalIgnoreCase))
            throw new RedisLogUnavailableException(
                $"replica log {options.Replica}: Redis {server.EndPoint} must run with 'appendonly yes' and 'appendfsync always' " +
                $"to keep a Raft log durably (it has appendonly {Config("appendonly")}, appendfsync {Config("appendfsync")})");
        if (server.Version.Major < 7)
            throw new RedisLogUnavailableException($"replica log {options.Replica}: Redis {server.EndPoint} is {server.Version}; 7.0 or later answers a write only after its fsync");
    }

    public HardState HardState => _hardState;
    public ulong FirstIndex => _first;
    public ulong LastIndex => _first + (ulong)_entries.Count - 1;
    public SnapshotMetadata SnapshotMetadata => _snapshotMeta;

    public bool TryTerm(ulong index, out ulong term)
    {
        if (index == _first - 1) { term = _snapshotMeta.Term; return true; }
        if (index < _first || index > LastIndex) { term = 0; return false; }
        term = _entries[(int)(index - _first)].Term;
        return true;
    }

    public IReadOnlyList<Entry> Entries(ulong lo, ulong hi, long maxBytes)
    {
        if (lo < _first || hi > LastIndex + 1 || lo >= hi)
            throw new ArgumentOutOfRangeException(nameof(lo), $"entries [{lo}, {hi}) outside [{_first}, {LastIndex + 1})");
        var result = new List<Entry>();
        long size = 0;
        for (var i = lo; i < hi; i++)
        {
            var e = _entries[(int)(i - _first)];
            size += e.Size;
            if (result.Count > 0 && size > maxBytes) break;
            result.Add(e);
        }
        return result;
    }

    public Snapshot Snapshot
    {
        get
        {
            if (_snapshotMeta.Index == 0) return Snapshot.Empty;
            if (_loadedSnapshot is not null && _loadedSnapshot.TryGetTarget(out var cached) && cached.Metadata == _snapshotMeta) return cached;
            var data = new byte[_snapshotLength];
            var at = 0;
            for (var n = 0; n < _snapshotChunks; n++)
            {
                var chunk = (byte[]?)_db.StringGet(_keys.Chunk(_snapshotId, n))
                            ?? throw new InvalidDataException($"replica log {_options.Replica}: chunk {n} of snapshot {_snapshotId} is missing");
                chunk.CopyTo(data, at);
                at += chunk.Length;
            }
            if (at != _snapshotLength) throw new InvalidDataException($"replica log {_options.Replica}: snapshot {_snapshotId} has {at} bytes, not {_snapshotLength}");
            var snapshot = new Snapshot(_snapshotMeta, data);
            _loadedSnapshot = new WeakReference<Snapshot>(snapshot);
            return snapshot;
        }
    }

    public void Save(HardState? hardState, IReadOnlyList<Entry> entries)
    {
        ThrowIfUnusable();
        var keep = -1L;
        if (entries.Count > 0)
        {
            var from = entries[0].Index;
            if (from > LastIndex + 1) throw new InvalidOperationException($"gap: appending {from} after {LastIndex}");
            // Entries at or below the snapshot are already covered by it.
            var skip = from < _first ? (int)Math.Min((ulong)entries.Count, _first - from) : 0;
            entries = skip == 0 ? entries : entries.Skip(skip).ToArray();
            if (entries.Count > 0 && entries[0].Index <= LastIndex) keep = (long)(entries[0].Index - _first);
        }
        if (hardState is null && entries.Count == 0) return;
        var args = new RedisValue[3 + entries.Count];
        args[0] = _epoch;
        args[1] = hardState is { } hs ? RedisLogCodec.EncodeHardState(hs) : RedisValue.EmptyString;
        args[2] = keep;
        for (var i = 0; i < entries.Count; i++) args[3 + i] = RedisLogCodec.EncodeEntry(entries[i]);
        Write(RedisLogScripts.Save, new[] { _keys.Owner, _keys.Meta, _keys.Log }, args);
        if (keep >= 0) _entries.RemoveRange((int)keep, _entries.Count - (int)keep);
        _entries.AddRange(entries);
        if (hardState is { } saved) _hardState = saved;
    }

    public void ApplySnapshot(Snapshot snapshot)
    {
        ThrowIfUnusable();
        if (snapshot.Metadata.Index <= _snapshotMeta.Index)
            throw new InvalidOperationException($"snapshot {snapshot.Metadata.Index} is not newer than {_snapshotMeta.Index}");
        InstallSnapshot(snapshot.Metadata, snapshot.Data, dropEntries: -1);
        _entries.Clear();
        _loadedSnapshot = new WeakReference<Snapshot>(snapshot);
    }

    public void CreateSnapshot(ulong index, Membership membership, ReadOnlyMemory<byte> data)
    {
        ThrowIfUnusable();
        if (index <= _snapshotMeta.Index) return; // already covered
        if (index > LastIndex) throw new ArgumentOutOfRangeException(nameof(index), $"snapshot {index} beyond last index {LastIndex}");
        TryTerm(index, out var term);
        var drop = (long)(index - _first + 1);
        InstallSnapshot(new SnapshotMetadata(index, term, membership), data, drop);
        _entries.RemoveRange(0, (int)drop);
    }

    private void InstallSnapshot(SnapshotMetadata meta, ReadOnlyMemory<byte> data, long dropEntries)
    {
        var id = $"{_epoch}-{++_snapshotCounter}";
        var chunkBytes = _options.SnapshotChunkBytes;
        var chunks = (data.Length + chunkBytes - 1) / chunkBytes;
        // Chunks first, under an id no other activation uses; they become the snapshot only when the fenced
        // script below points the metadata at them. A stale activation's chunks are never referenced.
        try
        {
            for (var n = 0; n < chunks; n++)
                _db.StringSet(_keys.Chunk(id, n), data.Slice(n * chunkBytes, Math.Min(chunkBytes, data.Length - n * chunkBytes)));
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            throw Fail(e);
        }
        var keys = new List<RedisKey> { _keys.Owner, _keys.Meta, _keys.Log };
        for (var n = 0; n < _snapshotChunks; n++) keys.Add(_keys.Chunk(_snapshotId, n));
        var first = meta.Index + 1;
        Write(RedisLogScripts.SetSnapshot, keys.ToArray(),
            new RedisValue[] { _epoch, RedisLogCodec.EncodeSnapshotMeta(meta, chunks, data.Length), id, first.ToString(), dropEntries });
        _snapshotMeta = meta;
        _snapshotId = id;
        _snapshotChunks = chunks;
        _snapshotLength = data.Length;
        _first = first;
    }

    private void Write(string script, RedisKey[] keys, RedisValue[] args)
    {
        try
        {
            _db.ScriptEvaluate(script, keys, args);
            if (_options.WaitReplicas > 0)
            {
                var acked = (long)_db.Execute("WAIT", _options.WaitReplicas, (long)_options.WaitTimeout.TotalMilliseconds);
                if (acked < _options.WaitReplicas)
                    throw Fail(new RedisLogUnavailableException($"replica log {_options.Replica}: {acked} of {_options.WaitReplicas} Redis replicas acknowledged a write within {_options.WaitTimeout.TotalMilliseconds} ms"));
            }
        }
        catch (RedisServerException e) when (e.Message.StartsWith("FENCED", StringComparison.Ordinal))
        {
            var fenced = new ReplicaFencedException(_options.Replica, _epoch, e.Message["FENCED ".Length..]);
            _failure = fenced;
            throw fenced;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            throw Fail(e);
        }
    }

    private Exception Fail(Exception cause)
    {
        _failure ??= cause as RedisLogUnavailableException
                     ?? new RedisLogUnavailableException($"replica log {_options.Replica}: a write to Redis failed or its outcome is unknown ({cause.Message}); reopen the log", cause);
        return _failure;
    }

    private void ThrowIfUnusable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_failure is not null) throw _failure;
    }

    /// <summary>Stops this instance from writing; the data stays in Redis. The connection is the caller's.</summary>
    public void Dispose() => _disposed = true;
}
