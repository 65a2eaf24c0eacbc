using Etcdserverpb;
using Google.Protobuf;
using Xunit;

namespace Coordinator.Tests.Gateway;

public sealed class ServiceTests : IAsyncLifetime
{
    private GatewayHost _host = null!;
    private GrpcTestClient _client = null!;

    public async Task InitializeAsync()
    {
        _host = await GatewayHost.StartAsync();
        _client = _host.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
    }

    private static ByteString Bytes(string s) => ByteString.CopyFromUtf8(s);

    private async Task<T> Ok<T>(string path, IMessage request, MessageParser<T> parser) where T : IMessage<T>
    {
        var result = await _client.UnaryAsync(path, request, parser);
        Assert.True(result.Status == 0, $"{path}: status {result.Status} {result.Message}");
        return result.Single();
    }

    [Fact]
    public async Task Txn_compare_and_put_goes_through_the_log_and_read_only_txn_reads()
    {
        await Ok("/etcdserverpb.KV/Put", new PutRequest { Key = Bytes("k"), Value = Bytes("v1") }, PutResponse.Parser);
        var txn = new TxnRequest();
        txn.Compare.Add(new Compare
        {
            Key = Bytes("k"), Target = Compare.Types.CompareTarget.Value,
            Result = Compare.Types.CompareResult.Equal, Value = Bytes("v1"),
        });
        txn.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = Bytes("k"), Value = Bytes("v2") } });
        var written = await Ok("/etcdserverpb.KV/Txn", txn, TxnResponse.Parser);
        Assert.True(written.Succeeded);
        Assert.Equal(3, written.Header.Revision);

        var read = new TxnRequest();
        read.Success.Add(new RequestOp { RequestRange = new RangeRequest { Key = Bytes("k") } });
        var response = await Ok("/etcdserverpb.KV/Txn", read, TxnResponse.Parser);
        Assert.True(response.Succeeded);
        Assert.Equal("v2", response.Responses[0].ResponseRange.Kvs[0].Value.ToStringUtf8());
        Assert.Equal(3, response.Header.Revision);
        Assert.Equal(0xC1UL, response.Header.ClusterId);
    }

    [Fact]
    public async Task Invalid_txn_is_refused_before_proposing()
    {
        var txn = new TxnRequest();
        txn.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = Bytes("d"), Value = Bytes("1") } });
        txn.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = Bytes("d"), Value = Bytes("2") } });
        var result = await _client.UnaryAsync("/etcdserverpb.KV/Txn", txn, TxnResponse.Parser);
        Assert.Equal(3, result.Status);
        Assert.Equal("etcdserver: duplicate key given in txn request", result.Message);
        Assert.Equal(0UL, _host.Node.Store.AppliedIndex);
    }

    [Fact]
    public async Task Delete_and_compact()
    {
        await Ok("/etcdserverpb.KV/Put", new PutRequest { Key = Bytes("a"), Value = Bytes("1") }, PutResponse.Parser);
        await Ok("/etcdserverpb.KV/Put", new PutRequest { Key = Bytes("b"), Value = Bytes("2") }, PutResponse.Parser);
        var deleted = await Ok("/etcdserverpb.KV/DeleteRange",
            new DeleteRangeRequest { Key = Bytes("a"), RangeEnd = Bytes("c"), PrevKv = true }, DeleteRangeResponse.Parser);
        Assert.Equal(2, deleted.Deleted);
        Assert.Equal(2, deleted.PrevKvs.Count);

        await Ok("/etcdserverpb.KV/Compact", new CompactionRequest { Revision = 3, Physical = true }, CompactionResponse.Parser);
        var old = await _client.UnaryAsync("/etcdserverpb.KV/Range", new RangeRequest { Key = Bytes("a"), Revision = 2 }, RangeResponse.Parser);
        Assert.Equal(11, old.Status);
        Assert.Equal("etcdserver: mvcc: required revision has been compacted", old.Message);
    }

    [Fact]
    public async Task Lease_grant_keepalive_ttl_leases_revoke()
    {
        var grant = await Ok("/etcdserverpb.Lease/LeaseGrant", new LeaseGrantRequest { TTL = 60 }, LeaseGrantResponse.Parser);
        Assert.NotEqual(0, grant.ID);
        Assert.Equal(60, grant.TTL);
        await Ok("/etcdserverpb.KV/Put", new PutRequest { Key = Bytes("leased"), Value = Bytes("x"), Lease = grant.ID }, PutResponse.Parser);

        using (var call = await _client.DuplexAsync("/etcdserverpb.Lease/LeaseKeepAlive", LeaseKeepAliveResponse.Parser))
        {
            await call.SendAsync(new LeaseKeepAliveRequest { ID = grant.ID });
            var first = await call.ReadAsync();
            Assert.Equal(grant.ID, first!.ID);
            Assert.Equal(60, first.TTL);
            Assert.Equal(0xC1UL, first.Header.ClusterId);

            await call.SendAsync(new LeaseKeepAliveRequest { ID = 424242 });
            var unknown = await call.ReadAsync();
            Assert.Equal(424242, unknown!.ID);
            Assert.Equal(0, unknown.TTL);

            await call.SendAsync(new LeaseKeepAliveRequest { ID = grant.ID });
            Assert.Equal(60, (await call.ReadAsync())!.TTL);

            call.CompleteRequests();
            Assert.Equal(0, (await call.StatusAsync()).Status);
        }

        var ttl = await Ok("/etcdserverpb.Lease/LeaseTimeToLive", new LeaseTimeToLiveRequest { ID = grant.ID, Keys = true },
            LeaseTimeToLiveResponse.Parser);
        Assert.Equal(60, ttl.TTL);
        Assert.Equal(60, ttl.GrantedTTL);
        Assert.Equal("leased", Assert.Single(ttl.Keys).ToStringUtf8());

        var missing = await Ok("/etcdserverpb.Lease/LeaseTimeToLive", new LeaseTimeToLiveRequest { ID = 99 }, LeaseTimeToLiveResponse.Parser);
        Assert.Equal(-1, missing.TTL);

        var leases = await Ok("/etcdserverpb.Lease/LeaseLeases", new LeaseLeasesRequest(), LeaseLeasesResponse.Parser);
        Assert.Equal(grant.ID, Assert.Single(leases.Leases).ID);

        await Ok("/etcdserverpb.Lease/LeaseRevoke", new LeaseRevokeRequest { ID = grant.ID }, LeaseRevokeResponse.Parser);
        var gone = await _client.UnaryAsync("/etcdserverpb.KV/Range", new RangeRequest { Key = Bytes("leased") }, RangeResponse.Parser);
        Assert.Empty(gone.Single().Kvs);
        var again = await _client.UnaryAsync("/etcdserverpb.Lease/LeaseRevoke", new LeaseRevokeRequest { ID = grant.ID }, LeaseRevokeResponse.Parser);
        Assert.Equal(5, again.Status);
        Assert.Equal("etcdserver: requested lease not found", again.Message);
    }

    [Fact]
    public async Task Member_list_status_hashes_alarms()
    {
        var members = await Ok("/etcdserverpb.Cluster/MemberList", new MemberListRequest(), MemberListResponse.Parser);
        var member = Assert.Single(members.Members);
        Assert.Equal(0x11UL, member.ID);
        Assert.Equal("http://127.0.0.1:2379", Assert.Single(member.ClientURLs));
        Assert.False(member.IsLearner);

        await Ok("/etcdserverpb.KV/Put", new PutRequest { Key = Bytes("h"), Value = Bytes("1") }, PutResponse.Parser);
        var status = await Ok("/etcdserverpb.Maintenance/Status", new StatusRequest(), StatusResponse.Parser);
        Assert.Equal("3.4.0", status.Version);
        Assert.Equal(0x11UL, status.Leader);
        Assert.Equal(1UL, status.RaftIndex);
        Assert.Equal(2, status.Header.Revision);

        var hashKv = await Ok("/etcdserverpb.Maintenance/HashKV", new HashKVRequest(), HashKVResponse.Parser);
        Assert.Equal(2, hashKv.Header.Revision);
        Assert.Equal(hashKv.Hash, (await Ok("/etcdserverpb.Maintenance/HashKV", new HashKVRequest(), HashKVResponse.Parser)).Hash);
        await Ok("/etcdserverpb.Maintenance/Hash", new HashRequest(), HashResponse.Parser);

        var alarms = await Ok("/etcdserverpb.Maintenance/Alarm", new AlarmRequest(), AlarmResponse.Parser);
        Assert.Empty(alarms.Alarms);

        var add = await _client.UnaryAsync("/etcdserverpb.Cluster/MemberAdd", new MemberAddRequest(), MemberAddResponse.Parser);
        Assert.Equal(12, add.Status);
        Assert.Contains("MemberAdd", add.Message);
    }
}
