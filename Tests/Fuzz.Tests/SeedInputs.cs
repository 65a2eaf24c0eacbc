using Coordinator.Grains.Raft;
using Coordinator.Protocol.Internal;
using Coordinator.Silo.Transport;
using Etcdserverpb;
using Google.Protobuf;

namespace Coordinator.Tests.Fuzz;

/// <summary>Valid inputs for every target, built from the real encoders: the starting points that random
/// mutations corrupt (and the corpus' first files).</summary>
internal static class SeedInputs
{
    public static IEnumerable<byte[]> For(string target) => target switch
    {
        "peer-frames" => PeerFrames(),
        "raft-entry" => RaftEntries(),
        _ => throw new ArgumentException($"no seed inputs for {target}"),
    };

    private static IEnumerable<byte[]> PeerFrames()
    {
        var entries = new[] { new Entry(7, 2, EntryType.Normal, new byte[] { 1, 2, 3 }), new Entry(8, 2, EntryType.ConfigChange, new byte[] { 9 }) };
        var messages = new[]
        {
            new Message { Group = 1, Type = MessageType.Append, From = 2, To = 1, Term = 3, LogTerm = 2, Index = 6, Entries = entries, Commit = 5 },
            new Message { Group = 1, Type = MessageType.AppendResponse, From = 1, To = 2, Term = 3, Index = 8, Reject = true, RejectHint = 4 },
            new Message { Group = 1, Type = MessageType.Vote, From = 2, To = 1, Term = 4, LogTerm = 3, Index = 8, LeaderTransfer = true },
            new Message { Group = 1, Type = MessageType.Heartbeat, From = 2, To = 1, Term = 4, Commit = 8, Context = 77 },
            new Message { Group = 1, Type = MessageType.Propose, From = 2, To = 1, Entries = entries },
        };
        foreach (var m in messages)
        {
            var buffer = new System.Buffers.ArrayBufferWriter<byte>();
            MessageBatchCodec.WriteFrame(buffer, [m]);
            yield return buffer.WrittenSpan.ToArray();
        }
        var all = new System.Buffers.ArrayBufferWriter<byte>();
        MessageBatchCodec.WriteFrame(all, messages);
        yield return all.WrittenSpan.ToArray();
    }

    private static IEnumerable<byte[]> RaftEntries()
    {
        static ByteString B(string s) => ByteString.CopyFromUtf8(s);
        var requests = new[]
        {
            new RaftRequest { Id = 1, Session = 5, Floor = 1, Put = new PutRequest { Key = B("a"), Value = B("1"), PrevKv = true } },
            new RaftRequest { Id = 2, Put = new PutRequest { Key = B("a"), Lease = 99, IgnoreValue = true } },
            new RaftRequest { DeleteRange = new DeleteRangeRequest { Key = B("a"), RangeEnd = B("z"), PrevKv = true } },
            new RaftRequest
            {
                Txn = new TxnRequest
                {
                    Compare = { new Compare { Key = B("a"), Target = Compare.Types.CompareTarget.Version, Result = Compare.Types.CompareResult.Greater, Version = 0 } },
                    Success = { new RequestOp { RequestPut = new PutRequest { Key = B("b"), Value = B("2") } }, new RequestOp { RequestRange = new RangeRequest { Key = B("a") } } },
                    Failure = { new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = B("b") } } },
                },
            },
            new RaftRequest { Compaction = new CompactionRequest { Revision = 3 } },
            new RaftRequest { LeaseGrant = new LeaseGrantRequest { TTL = 30, ID = 7 } },
            new RaftRequest { LeaseRevoke = new LeaseRevokeRequest { ID = 7 } },
            new RaftRequest { LeaseExpire = new LeaseExpire { Ids = { 7, 8 } } },
            new RaftRequest { Range = new RangeRequest { Key = B("a"), RangeEnd = B("\0"), Limit = 3, SortOrder = RangeRequest.Types.SortOrder.Descend } },
        };
        return requests.Select(r => r.ToByteArray());
    }
}
