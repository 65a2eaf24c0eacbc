using Google.Protobuf;
using EtcdPb = Etcdserverpb;

namespace Coordinator.Client;

/// <summary>One operation inside a transaction branch: <c>Op.Put("k", "v")</c>, <c>Op.Get(KeyRange.Prefix("p/"))</c>.</summary>
public sealed class Op
{
    private Op(EtcdPb.RequestOp message) => Message = message;

    internal EtcdPb.RequestOp Message { get; }

    public static Op Get(KeyRange range, RangeOptions? options = null) =>
        new(new EtcdPb.RequestOp { RequestRange = (options ?? new RangeOptions()).ToRequest(range) });

    public static Op Put(string key, string value, long lease = 0, bool prevKv = false) =>
        Put(ByteString.CopyFromUtf8(key), ByteString.CopyFromUtf8(value), lease, prevKv);

    public static Op Put(byte[] key, byte[] value, long lease = 0, bool prevKv = false) =>
        Put(ByteString.CopyFrom(key), ByteString.CopyFrom(value), lease, prevKv);

    private static Op Put(ByteString key, ByteString value, long lease, bool prevKv) =>
        new(new EtcdPb.RequestOp { RequestPut = new EtcdPb.PutRequest { Key = key, Value = value, Lease = lease, PrevKv = prevKv } });

    public static Op Delete(KeyRange range, bool prevKv = false) =>
        new(new EtcdPb.RequestOp { RequestDeleteRange = new EtcdPb.DeleteRangeRequest { Key = range.Key, RangeEnd = range.RangeEnd, PrevKv = prevKv } });

    /// <summary>A nested transaction.</summary>
    public static Op Txn(TxnBuilder txn) => new(new EtcdPb.RequestOp { RequestTxn = txn.Build() });

    public override string ToString() => Message.ToString();
}
