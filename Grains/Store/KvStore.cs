using Coordinator.Protocol.Internal;
using Etcdserverpb;
using Google.Protobuf;
using Coordinator.Grains.Store.Auth;

namespace Coordinator.Grains.Store;

/// <summary>
/// etcd's MVCC key-value state machine with its lease table. Deterministic: it never reads a clock or
/// an unseeded random; the same entries give the same state, responses, events and hashes.
/// Writes come only through <see cref="Apply"/> (one caller, in log order); reads may run concurrently.
/// </summary>
public sealed partial class KvStore
{
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private KeyIndex _index = new();
    private LeaseTable _leases = new();
    private ValueArena _values;

    // Invariant: _compactRevision <= _currentRevision; -1 means never compacted (as etcd reports it).
    private long _currentRevision = 1;
    private long _compactRevision = -1;
    private ulong _appliedIndex;

    // Events of the batches committed by the Apply call in progress (guarded by the write lock).
    private List<Mvccpb.Event> _committedEvents = [];

    public KvStore(StoreOptions? options = null) : this(options, ValueArena.DefaultChunkBytes) { }

    /// <summary>Tests pass tiny value chunks (and no relocation minimum) so that chunk turnover and relocation
    /// happen in small cases.</summary>
    internal KvStore(StoreOptions? options, int valueChunkBytes, long? minValueGarbageBytes = null)
    {
        Options = options ?? StoreOptions.Default;
        Validator = new RequestValidator(Options);
        _values = new ValueArena(valueChunkBytes, minValueGarbageBytes);
    }

    public StoreOptions Options { get; }

    public RequestValidator Validator { get; }

    /// <summary>Revision of the last change; 1 for an empty store.</summary>
    public long CurrentRevision => Read(() => _currentRevision);

    /// <summary>Revision of the last compaction, -1 if none.</summary>
    public long CompactRevision => Read(() => _compactRevision);

    /// <summary>Raft index of the last applied entry; entries at or below it are skipped.</summary>
    public ulong AppliedIndex => Read(() => _appliedIndex);

    /// <summary>Number of keys with retained history (live keys plus tombstones not yet compacted).</summary>
    public int IndexedKeyCount => Read(() => _index.Count);

    /// <summary>
    /// Applies one committed entry. Refusals are returned in <see cref="ApplyResult.Error"/> and leave the
    /// state unchanged; <paramref name="raftIndex"/> 0 means "not from a log" and is never skipped. A request
    /// with a session takes effect at most once (<see cref="RequestSessionTable{TResult}"/>): a repeat returns
    /// its first result and changes nothing. The response object of a new request is the store's record of it
    /// as well: a caller that changes it must copy it first (<see cref="ApplyResult.Detached"/>).
    /// </summary>
    public ApplyResult Apply(RaftRequest request, ulong raftIndex)
    {
        _lock.EnterWriteLock();
        try
        {
            if (raftIndex != 0 && raftIndex <= _appliedIndex)
                return new ApplyResult(request.Id, null, null, null, skipped: true);
            if (raftIndex != 0) _appliedIndex = raftIndex;
            var tracked = raftIndex != 0 && request.Session != 0;
            if (tracked && CheckSession(request, raftIndex) is { } repeated) return repeated;

            _committedEvents = [];
            ApplyResult result;
            try
            {
                var response = Dispatch(request, raftIndex);
                result = new ApplyResult(request.Id, response, null, _committedEvents);
            }
            catch (StoreException e)
            {
                // Checks run before any change, so a refused command has no events.
                result = new ApplyResult(request.Id, null, e, null);
            }
            if (tracked) RecordSession(request, raftIndex, result);
            return result;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    private IMessage? Dispatch(RaftRequest request, ulong raftIndex)
    {
        CheckPermission(request);
        switch (request.CommandCase)
        {
            case RaftRequest.CommandOneofCase.Range:
                Validator.ValidateRange(request.Range);
                return RangeLocked(request.Range, _currentRevision);
            case RaftRequest.CommandOneofCase.Put:
                Validator.ValidatePut(request.Put);
                return PutTopLevel(request.Put);
            case RaftRequest.CommandOneofCase.DeleteRange:
                Validator.ValidateDeleteRange(request.DeleteRange);
                return DeleteRangeTopLevel(request.DeleteRange);
            case RaftRequest.CommandOneofCase.Txn:
                Validator.ValidateTxn(request.Txn);
                return TxnTopLevel(request.Txn);
            case RaftRequest.CommandOneofCase.Compaction:
                return CompactLocked(request.Compaction);
            case RaftRequest.CommandOneofCase.LeaseGrant:
                return LeaseGrantLocked(request.LeaseGrant, raftIndex, request.Id);
            case RaftRequest.CommandOneofCase.LeaseRevoke:
                return LeaseRevokeLocked(request.LeaseRevoke);
            case RaftRequest.CommandOneofCase.LeaseCheckpoint:
                return LeaseCheckpointLocked(request.LeaseCheckpoint);
            case RaftRequest.CommandOneofCase.LeaseExpire:
                LeaseExpireLocked(request.LeaseExpire);
                return null;
            case RaftRequest.CommandOneofCase.Auth:
                return Auth.Apply(request.Auth, request.AuthHeader, raftIndex);
            case RaftRequest.CommandOneofCase.SiloTable:
                return Silos.Apply(request.SiloTable, raftIndex);
            default:
                return null;
        }
    }

    private WriteBatch BeginBatch() => new(_currentRevision);

    /// <summary>Makes the batch's changes the current revision and hands its events to the apply result.</summary>
    private void Commit(WriteBatch batch)
    {
        if (batch.Changes == 0) return;
        _currentRevision = batch.Main;
        _committedEvents.AddRange(batch.Events);
    }

    private ResponseHeader Header() => new() { Revision = _currentRevision };

    private static ResponseHeader Header(long revision) => new() { Revision = revision };

    private T Read<T>(Func<T> read)
    {
        _lock.EnterReadLock();
        try { return read(); }
        finally { _lock.ExitReadLock(); }
    }
}
