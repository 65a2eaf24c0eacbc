using Etcdserverpb;
using Google.Protobuf;
using V3electionpb;
using Xunit;

namespace Coordinator.Tests.Gateway;

public sealed class ElectionServiceTests : IAsyncLifetime
{
    private const string Service = "/v3electionpb.Election/";

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

    private async Task<long> GrantAsync() =>
        (await Ok("/etcdserverpb.Lease/LeaseGrant", new LeaseGrantRequest { TTL = 60 }, LeaseGrantResponse.Parser)).ID;

    private Task<CampaignResponse> CampaignAsync(string name, long lease, string value) =>
        Ok(Service + "Campaign", new CampaignRequest { Name = Bytes(name), Lease = lease, Value = Bytes(value) }, CampaignResponse.Parser);

    private Task<ProclaimResponse> ProclaimAsync(LeaderKey leader, string value) =>
        Ok(Service + "Proclaim", new ProclaimRequest { Leader = leader, Value = Bytes(value) }, ProclaimResponse.Parser);

    private Task<ResignResponse> ResignAsync(LeaderKey leader) =>
        Ok(Service + "Resign", new ResignRequest { Leader = leader }, ResignResponse.Parser);

    private Task<LeaderResponse> LeaderAsync(string name) =>
        Ok(Service + "Leader", new LeaderRequest { Name = Bytes(name) }, LeaderResponse.Parser);

    /// <summary>A server-streaming call: the server answers headers only after reading the request, so the
    /// request is written before waiting for them.</summary>
    private async Task<DuplexCall<LeaderResponse>> ObserveAsync(string name)
    {
        var content = new StreamingContent();
        await content.WriteAsync(GrpcWire.Frame(new LeaderRequest { Name = Bytes(name) }));
        content.Complete();
        var request = GrpcTestClient.NewRequest(Service + "Observe", content, null);
        var response = _client.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return await Task.FromResult(new DuplexCall<LeaderResponse>(request, response, content, LeaderResponse.Parser));
    }

    private static async Task AssertStillWaitingAsync(Task task) =>
        Assert.NotSame(task, await Task.WhenAny(task, Task.Delay(TimeSpan.FromMilliseconds(300))));

    [Fact]
    public async Task First_campaigner_leads_and_the_second_waits_until_it_resigns()
    {
        var firstLease = await GrantAsync();
        var first = await CampaignAsync("svc", firstLease, "a");
        Assert.Equal("svc", first.Leader.Name.ToStringUtf8());
        Assert.Equal($"svc/{firstLease:x}", first.Leader.Key.ToStringUtf8());
        Assert.Equal(firstLease, first.Leader.Lease);
        Assert.Equal(first.Header.Revision, first.Leader.Rev);
        Assert.Equal(0xC1UL, first.Header.ClusterId);

        var waiting = CampaignAsync("svc", await GrantAsync(), "b");
        await AssertStillWaitingAsync(waiting);
        Assert.Equal("a", (await LeaderAsync("svc")).Kv.Value.ToStringUtf8());

        await ResignAsync(first.Leader);
        var second = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(second.Leader.Rev > first.Leader.Rev);
        var leader = await LeaderAsync("svc");
        Assert.Equal(second.Leader.Key, leader.Kv.Key);
        Assert.Equal("b", leader.Kv.Value.ToStringUtf8());
    }

    [Fact]
    public async Task Proclaim_changes_the_value_and_observe_streams_it_then_the_next_leader()
    {
        var first = await CampaignAsync("obs", await GrantAsync(), "v1");
        using var observe = await ObserveAsync("obs");
        var initial = await observe.ReadAsync();
        Assert.Equal("v1", initial!.Kv.Value.ToStringUtf8());
        Assert.Equal(0xC1UL, initial.Header.ClusterId);

        await ProclaimAsync(first.Leader, "v2");
        var proclaimed = await observe.ReadAsync();
        Assert.Equal("v2", proclaimed!.Kv.Value.ToStringUtf8());
        Assert.Equal(first.Leader.Rev, proclaimed.Kv.CreateRevision);
        Assert.Equal(proclaimed.Kv.ModRevision, proclaimed.Header.Revision);

        var next = CampaignAsync("obs", await GrantAsync(), "n1");
        await ResignAsync(first.Leader);
        var elected = await next.WaitAsync(TimeSpan.FromSeconds(10));
        var changed = await observe.ReadAsync();
        Assert.Equal(elected.Leader.Key, changed!.Kv.Key);
        Assert.Equal("n1", changed.Kv.Value.ToStringUtf8());
    }

    [Fact]
    public async Task Observe_without_a_leader_waits_for_the_first_candidate()
    {
        using var observe = await ObserveAsync("empty");
        var reading = observe.ReadAsync();
        await AssertStillWaitingAsync(reading);

        var elected = await CampaignAsync("empty", await GrantAsync(), "here");
        var first = await reading;
        Assert.Equal(elected.Leader.Key, first!.Kv.Key);
        Assert.Equal(first.Kv.ModRevision, first.Header.Revision);
    }

    [Fact]
    public async Task Proclaim_by_a_former_leader_is_etcds_not_leader_error()
    {
        var lease = await GrantAsync();
        var first = await CampaignAsync("np", lease, "x");
        await ResignAsync(first.Leader);
        await CampaignAsync("np", lease, "y");

        var stale = await _client.UnaryAsync(Service + "Proclaim", new ProclaimRequest { Leader = first.Leader, Value = Bytes("z") }, ProclaimResponse.Parser);

        Assert.Equal(2, stale.Status);
        Assert.Equal("election: not leader", stale.Message);
        Assert.Equal("y", (await LeaderAsync("np")).Kv.Value.ToStringUtf8());
    }

    [Fact]
    public async Task Leader_of_an_election_without_candidates_is_etcds_no_leader_error()
    {
        var result = await _client.UnaryAsync(Service + "Leader", new LeaderRequest { Name = Bytes("nobody") }, LeaderResponse.Parser);
        Assert.Equal(2, result.Status);
        Assert.Equal("election: no leader", result.Message);
    }

    [Fact]
    public async Task Proclaim_and_resign_without_a_leader_key_are_refused()
    {
        var proclaim = await _client.UnaryAsync(Service + "Proclaim", new ProclaimRequest { Value = Bytes("v") }, ProclaimResponse.Parser);
        var resign = await _client.UnaryAsync(Service + "Resign", new ResignRequest(), ResignResponse.Parser);
        Assert.Equal((2, "\"leader\" field must be provided"), (proclaim.Status, proclaim.Message));
        Assert.Equal((2, "\"leader\" field must be provided"), (resign.Status, resign.Message));
    }

    [Fact]
    public async Task Campaign_again_with_the_same_lease_keeps_the_place_and_proclaims_the_new_value()
    {
        var lease = await GrantAsync();
        var first = await CampaignAsync("re", lease, "old");
        var again = await CampaignAsync("re", lease, "new");
        Assert.Equal(first.Leader, again.Leader);
        Assert.Equal(first.Header.Revision, again.Header.Revision);
        Assert.Equal("new", (await LeaderAsync("re")).Kv.Value.ToStringUtf8());
    }

    [Fact]
    public async Task Resigning_twice_is_not_an_error()
    {
        var elected = await CampaignAsync("twice", await GrantAsync(), "x");
        await ResignAsync(elected.Leader);
        await ResignAsync(elected.Leader);
        var result = await _client.UnaryAsync(Service + "Leader", new LeaderRequest { Name = Bytes("twice") }, LeaderResponse.Parser);
        Assert.Equal("election: no leader", result.Message);
    }

    [Fact]
    public async Task Campaign_cancelled_while_waiting_withdraws_its_candidacy()
    {
        await CampaignAsync("cx", await GrantAsync(), "leader");
        var lease = await GrantAsync();
        var result = await _client.UnaryAsync(Service + "Campaign",
            new CampaignRequest { Name = Bytes("cx"), Lease = lease, Value = Bytes("late") },
            CampaignResponse.Parser, new Dictionary<string, string> { ["grpc-timeout"] = "300m" });

        Assert.Equal(4, result.Status);
        // The deadline's status reaches the client at once; the server withdraws as its handler unwinds.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (_host.Node.Store.Range(new RangeRequest { Key = Bytes($"cx/{lease:x}") }).Kvs.Count > 0 && DateTime.UtcNow < deadline)
            await Task.Delay(20);
        Assert.Empty(_host.Node.Store.Range(new RangeRequest { Key = Bytes($"cx/{lease:x}") }).Kvs);
    }
}
