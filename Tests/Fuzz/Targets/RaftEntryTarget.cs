using Coordinator.Grains.Store;
using Coordinator.Protocol.Internal;
using Etcdserverpb;
using Google.Protobuf;

namespace Coordinator.Fuzz;

/// <summary>A committed entry's payload applied to the store, as every member applies it: a payload that does not
/// parse is refused by the parser; one that parses is validated and applied, and may only be refused with a
/// <see cref="StoreException"/> (etcd's status and text) that changed nothing. After every input the store still
/// answers a put and a read correctly.</summary>
public sealed class RaftEntryTarget : IFuzzTarget
{
    private KvStore _store = new();
    private ulong _index;

    public string Name => "raft-entry";

    public void Run(ReadOnlySpan<byte> input)
    {
        if (_index > 10_000) { _store = new KvStore(); _index = 0; }
        RaftRequest request;
        try { request = RaftRequest.Parser.ParseFrom(input); }
        catch (InvalidProtocolBufferException) { return; }
        var before = _store.CurrentRevision;
        var result = _store.Apply(request, ++_index);
        if (result.Error is not null && _store.CurrentRevision != before)
            throw new InvalidOperationException($"a refused {request.CommandCase} changed the revision {before} -> {_store.CurrentRevision}");
        CheckStillServes();
    }

    private void CheckStillServes()
    {
        var key = ByteString.CopyFromUtf8("\u0001fuzz-probe");
        var value = ByteString.CopyFromUtf8($"v{_index}");
        var put = _store.Apply(new RaftRequest { Put = new PutRequest { Key = key, Value = value } }, ++_index);
        if (put.Error is { } e) throw new InvalidOperationException("probe put refused: " + e.Message);
        var read = _store.Range(new RangeRequest { Key = key });
        if (read.Kvs.Count != 1 || read.Kvs[0].Value != value) throw new InvalidOperationException("the store no longer reads back what it wrote");
    }
}
