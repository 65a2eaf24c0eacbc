using Coordinator.Client.Tests.Fixtures;
using Etcdserverpb;

namespace Coordinator.Client.Tests;

/// <summary>The client's basic contract, run against every server kind (derived classes pick the fixture).
/// Tests share one server per class, so each uses its own key prefix.</summary>
public abstract class ClientBasicsTests : IDisposable
{
    private readonly CoordinatorClient _client;
    private readonly string _p = "t-" + Guid.NewGuid().ToString("N")[..8] + "/";

    protected ClientBasicsTests(IServerFixture server) => _client = server.CreateClient();

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task Put_then_get_returns_the_value_and_delete_removes_it()
    {
        var put = await _client.PutAsync(_p + "a", "1");
        Assert.True(put.Header.Revision > 0);
        var kv = await _client.GetAsync(_p + "a");
        Assert.NotNull(kv);
        Assert.Equal("1", kv.Value.ToStringUtf8());
        Assert.Equal(put.Header.Revision, kv.ModRevision);

        var prev = await _client.PutAsync(System.Text.Encoding.UTF8.GetBytes(_p + "a"), [2], prevKv: true);
        Assert.Equal("1", prev.PrevKv.Value.ToStringUtf8());

        var deleted = await _client.DeleteAsync(_p + "a");
        Assert.Equal(1, deleted.Deleted);
        Assert.Null(await _client.GetAsync(_p + "a"));
    }

    [Fact]
    public async Task Prefix_range_and_delete_range_cover_exactly_the_prefix()
    {
        foreach (var k in new[] { "x/1", "x/2", "x/3", "y" }) await _client.PutAsync(_p + k, k);
        var range = await _client.GetPrefixAsync(_p + "x/");
        Assert.Equal(new[] { "x/1", "x/2", "x/3" }, range.Kvs.Select(kv => kv.Key.ToStringUtf8()[_p.Length..]));

        var limited = await _client.GetRangeAsync(KeyRange.Prefix(_p + "x/"), new RangeOptions { Limit = 2, SortOrder = RangeRequest.Types.SortOrder.Descend });
        Assert.Equal(new[] { "x/3", "x/2" }, limited.Kvs.Select(kv => kv.Key.ToStringUtf8()[_p.Length..]));
        Assert.True(limited.More);
        Assert.Equal(3, limited.Count);

        var deleted = await _client.DeleteRangeAsync(KeyRange.Prefix(_p + "x/"));
        Assert.Equal(3, deleted.Deleted);
        Assert.Equal(1, (await _client.GetPrefixAsync(_p)).Count);
    }

    [Fact]
    public async Task Txn_runs_then_branch_when_guards_hold_and_else_branch_otherwise()
    {
        var key = _p + "txn";
        var created = await _client.Txn()
            .If(Compare.Version(key) == 0)
            .Then(Op.Put(key, "first"))
            .Else(Op.Get(key))
            .CommitAsync();
        Assert.True(created.Succeeded);

        var second = await _client.Txn()
            .If(Compare.Version(key) == 0)
            .Then(Op.Put(key, "second"))
            .Else(Op.Get(key))
            .CommitAsync();
        Assert.False(second.Succeeded);
        Assert.Equal("first", second.Responses[0].ResponseRange.Kvs[0].Value.ToStringUtf8());

        var byValue = await _client.Txn()
            .If(Compare.Value(key) == "first", Compare.ModRevision(key) > 0)
            .Then(Op.Put(key, "third"), Op.Delete(_p + "none"))
            .CommitAsync();
        Assert.True(byValue.Succeeded);
        Assert.Equal("third", (await _client.GetAsync(key))!.Value.ToStringUtf8());
    }

    [Fact]
    public async Task Lease_grant_attach_time_to_live_list_and_revoke()
    {
        var lease = await _client.GrantAsync(30);
        Assert.True(lease.ID != 0);
        await _client.PutAsync(_p + "leased", "v", lease: lease.ID);

        var ttl = await _client.TimeToLiveAsync(lease.ID, keys: true);
        Assert.InRange(ttl.TTL, 1, 30);
        Assert.Equal(30, ttl.GrantedTTL);
        Assert.Contains(ttl.Keys, k => k.ToStringUtf8() == _p + "leased");
        Assert.Contains((await _client.LeasesAsync()).Leases, l => l.ID == lease.ID);

        await _client.RevokeAsync(lease.ID);
        Assert.Null(await _client.GetAsync(_p + "leased"));
        Assert.Equal(-1, (await _client.TimeToLiveAsync(lease.ID)).TTL);
    }

    [Fact]
    public async Task Keep_alive_holds_a_two_second_lease_for_six_seconds_and_revoke_fires_lost_token()
    {
        var lease = await _client.GrantAsync(2);
        await _client.PutAsync(_p + "session", "alive", lease: lease.ID);
        await using var keeper = await _client.KeepAliveAsync(lease.ID);

        await Task.Delay(TimeSpan.FromSeconds(6.5));
        Assert.False(keeper.LostToken.IsCancellationRequested, keeper.LostReason);
        Assert.NotNull(await _client.GetAsync(_p + "session"));

        var lost = new TaskCompletionSource();
        keeper.LostToken.Register(() => lost.TrySetResult());
        await _client.RevokeAsync(lease.ID);
        await lost.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(keeper.IsLost);
        Assert.NotNull(keeper.LostReason);
    }

    [Fact]
    public async Task Keep_alive_of_an_unknown_lease_throws_not_found()
    {
        var e = await Assert.ThrowsAsync<CoordinatorException>(() => _client.KeepAliveAsync(0x1234_5678_9abc));
        Assert.Equal(Grpc.Core.StatusCode.NotFound, e.StatusCode);
    }

    [Fact]
    public async Task Watch_delivers_puts_and_deletes_of_a_prefix_in_order()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var start = (await _client.PutAsync(_p + "w-before", "x")).Header.Revision + 1;
        var watched = new List<WatchEvent>();
        var watching = Task.Run(async () =>
        {
            await foreach (var e in _client.WatchAsync(KeyRange.Prefix(_p + "w/"), start, prevKv: true, cts.Token))
            {
                watched.Add(e);
                if (watched.Count == 3) return;
            }
        });
        await _client.PutAsync(_p + "w/a", "1");
        await _client.PutAsync(_p + "other", "ignored");
        await _client.PutAsync(_p + "w/a", "2");
        await _client.DeleteAsync(_p + "w/a");
        await watching.WaitAsync(cts.Token);

        Assert.Equal(new[] { WatchEventType.Put, WatchEventType.Put, WatchEventType.Delete }, watched.Select(e => e.Type));
        Assert.Equal(new[] { "1", "2", "" }, watched.Select(e => e.Value));
        Assert.Equal("1", watched[1].PrevKv!.Value.ToStringUtf8());
        Assert.True(watched.Zip(watched.Skip(1)).All(p => p.First.Revision < p.Second.Revision));
    }

    [Fact]
    public async Task Watch_from_now_sees_only_later_changes()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await _client.PutAsync(_p + "now", "old");
        await using var events = _client.WatchAsync(_p + "now", ct: cts.Token).GetAsyncEnumerator(cts.Token);
        var next = events.MoveNextAsync().AsTask();
        await Task.Delay(500); // let the watch be created before the write
        await _client.PutAsync(_p + "now", "new");
        Assert.True(await next.WaitAsync(cts.Token));
        Assert.Equal("new", events.Current.Value);
    }

    [Fact]
    public async Task Watch_from_a_compacted_revision_throws_watch_compacted()
    {
        var first = await _client.PutAsync(_p + "c", "1");
        var last = await _client.PutAsync(_p + "c", "2");
        await _client.CompactAsync(last.Header.Revision, physical: true);

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var e = await Assert.ThrowsAsync<WatchCompactedException>(async () =>
        {
            await foreach (var _ in _client.WatchAsync(_p + "c", first.Header.Revision, ct: cts.Token)) { }
        });
        Assert.Equal(last.Header.Revision, e.CompactRevision);
        Assert.True(e.IsCompacted);

        var read = await Assert.ThrowsAsync<CoordinatorException>(() =>
            _client.GetRangeAsync(_p + "c", new RangeOptions { Revision = first.Header.Revision }));
        Assert.True(read.IsCompacted, read.Message);
    }

    [Fact]
    public async Task Empty_key_is_rejected_with_etcds_invalid_argument()
    {
        var e = await Assert.ThrowsAsync<CoordinatorException>(() => _client.PutAsync("", "v"));
        Assert.Equal(Grpc.Core.StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal("etcdserver: key is not provided", e.Detail);
    }

    [Fact]
    public async Task Cancellation_is_honoured_for_calls_and_watches()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _client.GetAsync(_p + "x", cancelled.Token));

        using var soon = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in _client.WatchAsync(_p + "never", ct: soon.Token)) { }
        });
    }

    [Fact]
    public async Task Maintenance_and_cluster_calls_answer()
    {
        var status = await _client.StatusAsync();
        Assert.NotEqual(0ul, status.Leader);
        var members = await _client.MemberListAsync();
        Assert.NotEmpty(members.Members);
        var hash = await _client.HashKVAsync();
        Assert.NotNull(hash.Header);
    }
}

public sealed class CoordinatorClientBasicsTests(CoordinatorServerFixture server)
    : ClientBasicsTests(server), IClassFixture<CoordinatorServerFixture>;

/// <summary>The same suite against real etcd 3.4: the client speaks the etcd API, not just ours.</summary>
public sealed class EtcdClientBasicsTests(EtcdServerFixture server)
    : ClientBasicsTests(server), IClassFixture<EtcdServerFixture>;
