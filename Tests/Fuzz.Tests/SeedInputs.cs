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
        "grpc-messages" => GrpcMessages(),
        "v2-http" => V2Http(),
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

    /// <summary>[method selector, framing 0, message]: one valid request for each method the target calls.</summary>
    private static IEnumerable<byte[]> GrpcMessages()
    {
        static ByteString B(string s) => ByteString.CopyFromUtf8(s);
        var byPath = new Dictionary<string, IMessage>
        {
            ["/etcdserverpb.KV/Range"] = new RangeRequest { Key = B("a"), RangeEnd = B("z"), Limit = 5, Revision = 2 },
            ["/etcdserverpb.KV/Put"] = new PutRequest { Key = B("a"), Value = B("1"), PrevKv = true },
            ["/etcdserverpb.KV/DeleteRange"] = new DeleteRangeRequest { Key = B("a"), RangeEnd = B("\0"), PrevKv = true },
            ["/etcdserverpb.KV/Txn"] = new TxnRequest
            {
                Compare = { new Compare { Key = B("a"), Target = Compare.Types.CompareTarget.Mod, Result = Compare.Types.CompareResult.Less, ModRevision = 9 } },
                Success = { new RequestOp { RequestPut = new PutRequest { Key = B("b"), Value = B("2") } } },
                Failure = { new RequestOp { RequestRange = new RangeRequest { Key = B("b") } } },
            },
            ["/etcdserverpb.KV/Compact"] = new CompactionRequest { Revision = 2 },
            ["/etcdserverpb.Lease/LeaseGrant"] = new LeaseGrantRequest { TTL = 60, ID = 77 },
            ["/etcdserverpb.Lease/LeaseRevoke"] = new LeaseRevokeRequest { ID = 77 },
            ["/etcdserverpb.Lease/LeaseTimeToLive"] = new LeaseTimeToLiveRequest { ID = 77, Keys = true },
            ["/etcdserverpb.Lease/LeaseLeases"] = new LeaseLeasesRequest(),
            ["/etcdserverpb.Lease/LeaseKeepAlive"] = new LeaseKeepAliveRequest { ID = 77 },
            ["/etcdserverpb.Watch/Watch"] = new WatchRequest { CreateRequest = new WatchCreateRequest { Key = B("a"), RangeEnd = B("b"), StartRevision = 1, PrevKv = true } },
            ["/etcdserverpb.Cluster/MemberList"] = new MemberListRequest(),
            ["/etcdserverpb.Maintenance/Status"] = new StatusRequest(),
            ["/etcdserverpb.Maintenance/HashKV"] = new HashKVRequest { Revision = 0 },
            ["/etcdserverpb.Maintenance/Alarm"] = new AlarmRequest { Action = AlarmRequest.Types.AlarmAction.Get },
            ["/etcdserverpb.Maintenance/MoveLeader"] = new MoveLeaderRequest { TargetID = 5 },
            ["/v3lockpb.Lock/Lock"] = new V3lockpb.LockRequest { Name = B("l"), Lease = 77 },
            ["/v3lockpb.Lock/Unlock"] = new V3lockpb.UnlockRequest { Key = B("l/4d") },
            ["/v3electionpb.Election/Campaign"] = new V3electionpb.CampaignRequest { Name = B("e"), Lease = 77, Value = B("x") },
            ["/v3electionpb.Election/Proclaim"] = new V3electionpb.ProclaimRequest { Leader = new V3electionpb.LeaderKey { Name = B("e"), Key = B("e/4d"), Rev = 3, Lease = 77 }, Value = B("y") },
            ["/v3electionpb.Election/Leader"] = new V3electionpb.LeaderRequest { Name = B("e") },
            ["/v3electionpb.Election/Resign"] = new V3electionpb.ResignRequest { Leader = new V3electionpb.LeaderKey { Name = B("e"), Key = B("e/4d"), Rev = 3, Lease = 77 } },
            ["/grpc.health.v1.Health/Check"] = new Grpc.Health.V1.HealthCheckRequest { Service = "" },
            ["/grpc.health.v1.Health/Watch"] = new Grpc.Health.V1.HealthCheckRequest { Service = "etcdserverpb.KV" },
        };
        for (var i = 0; i < Coordinator.Fuzz.GrpcMessageTarget.MethodCount; i++)
            yield return [(byte)i, 0, .. byPath[Coordinator.Fuzz.GrpcMessageTarget.MethodPath(i)].ToByteArray()];
    }

    /// <summary>[method, route and content type, "path?query\nbody"]: the seeds' curl walkthrough and friends.</summary>
    private static IEnumerable<byte[]> V2Http()
    {
        static byte[] R(int method, int route, int contentType, string text) =>
            [(byte)method, (byte)(route | contentType << 3), .. System.Text.Encoding.UTF8.GetBytes(text)];
        const int Get = 0, Put = 1, Post = 2, Delete = 3, Head = 4;
        yield return R(Put, 0, 0, "message\nvalue=Hello world");
        yield return R(Get, 0, 0, "message");
        yield return R(Put, 0, 0, "foo?ttl=5\nvalue=bar");
        yield return R(Put, 0, 0, "foo?prevValue=bar\nvalue=baz");
        yield return R(Put, 0, 0, "foo?prevExist=false\nvalue=one");
        yield return R(Put, 0, 0, "foo\nttl=&refresh=true&prevExist=true");
        yield return R(Delete, 0, 0, "foo?prevIndex=3");
        yield return R(Post, 0, 0, "queue\nvalue=Job1");
        yield return R(Get, 0, 0, "queue?recursive=true&sorted=true");
        yield return R(Put, 0, 0, "dir?dir=true");
        yield return R(Delete, 0, 0, "dir?dir=true&recursive=true");
        yield return R(Get, 0, 0, "foo?wait=true&waitIndex=2");
        yield return R(Head, 0, 0, "message");
        yield return R(Get, 0, 0, "message?quorum=true");
        yield return R(Get, 1, 0, "");
        yield return R(Get, 2, 0, "self");
        yield return R(Get, 2, 0, "leader");
        yield return R(Get, 2, 0, "store");
        yield return R(Get, 3, 0, "");
        yield return R(Get, 4, 0, "");
        yield return R(Get, 5, 0, "");
    }
}
