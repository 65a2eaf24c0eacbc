using Etcdserverpb;
using Google.Protobuf;
using V3lockpb;
using Xunit;

namespace Coordinator.Tests.Gateway;

public sealed class LockServiceTests : IAsyncLifetime
{
    private const string LockPath = "/v3lockpb.Lock/Lock";
    private const string UnlockPath = "/v3lockpb.Lock/Unlock";

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

    private async Task<long> GrantAsync(long id = 0) =>
        (await Ok("/etcdserverpb.Lease/LeaseGrant", new LeaseGrantRequest { ID = id, TTL = 60 }, LeaseGrantResponse.Parser)).ID;

    private Task<LockResponse> LockAsync(string name, long lease) =>
        Ok(LockPath, new LockRequest { Name = Bytes(name), Lease = lease }, LockResponse.Parser);

    private Task<UnlockResponse> UnlockAsync(ByteString key) =>
        Ok(UnlockPath, new UnlockRequest { Key = key }, UnlockResponse.Parser);

    private Mvccpb.KeyValue? Get(ByteString key) => _host.Node.Store.Range(new RangeRequest { Key = key }).Kvs.SingleOrDefault();

    private static async Task AssertStillWaitingAsync(Task task) =>
        Assert.NotSame(task, await Task.WhenAny(task, Task.Delay(TimeSpan.FromMilliseconds(300))));

    [Fact]
    public async Task Lock_creates_the_lease_key_and_unlock_deletes_it()
    {
        var lease = await GrantAsync(0x1f);

        var locked = await LockAsync("job", lease);

        Assert.Equal("job/1f", locked.Key.ToStringUtf8());
        Assert.Equal(0xC1UL, locked.Header.ClusterId);
        Assert.Equal(3UL, locked.Header.RaftTerm);
        var held = Get(locked.Key)!;
        Assert.Equal(lease, held.Lease);
        Assert.Equal(held.CreateRevision, locked.Header.Revision);

        var unlocked = await UnlockAsync(locked.Key);
        Assert.Null(Get(locked.Key));
        Assert.Equal(held.CreateRevision + 1, unlocked.Header.Revision);
    }

    [Fact]
    public async Task Second_lock_waits_until_unlock_then_gets_a_later_key()
    {
        var first = await LockAsync("q", await GrantAsync());
        var waiting = LockAsync("q", await GrantAsync());
        await AssertStillWaitingAsync(waiting);

        await UnlockAsync(first.Key);
        var second = await waiting.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.NotEqual(first.Key, second.Key);
        Assert.True(Get(second.Key)!.CreateRevision > first.Header.Revision);
    }

    [Fact]
    public async Task Lock_again_with_the_same_lease_reuses_the_held_key()
    {
        var lease = await GrantAsync();
        var first = await LockAsync("again", lease);
        var second = await LockAsync("again", lease).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(first.Key, second.Key);
        Assert.Equal(1, Get(first.Key)!.Version);
    }

    [Fact]
    public async Task Waiting_lock_is_granted_when_the_holders_lease_is_revoked()
    {
        var holderLease = await GrantAsync();
        await LockAsync("revoke", holderLease);
        var waiting = LockAsync("revoke", await GrantAsync());
        await AssertStillWaitingAsync(waiting);

        await Ok("/etcdserverpb.Lease/LeaseRevoke", new LeaseRevokeRequest { ID = holderLease }, LeaseRevokeResponse.Parser);

        var granted = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.NotNull(Get(granted.Key));
    }

    [Fact]
    public async Task Waiting_lock_fails_when_its_own_lease_ends()
    {
        await LockAsync("mine", await GrantAsync());
        var waiterLease = await GrantAsync();
        var waiting = _client.UnaryAsync(LockPath, new LockRequest { Name = Bytes("mine"), Lease = waiterLease }, LockResponse.Parser);
        await AssertStillWaitingAsync(waiting);

        await Ok("/etcdserverpb.Lease/LeaseRevoke", new LeaseRevokeRequest { ID = waiterLease }, LeaseRevokeResponse.Parser);

        var result = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, result.Status);
        Assert.Equal("session: session is expired", result.Message);
    }

    /// <summary>etcd 3.4 returns the in-process client's error without a gRPC status: UNKNOWN, etcd's text.</summary>
    [Fact]
    public async Task Unknown_lease_is_refused_with_etcds_error()
    {
        var result = await _client.UnaryAsync(LockPath, new LockRequest { Name = Bytes("x"), Lease = 0x999 }, LockResponse.Parser);
        Assert.Equal(2, result.Status);
        Assert.Equal("etcdserver: requested lease not found", result.Message);
        Assert.Empty(_host.Node.Store.Range(new RangeRequest { Key = Bytes("x/"), RangeEnd = Bytes("x0") }).Kvs);
    }

    [Fact]
    public async Task Lock_without_a_lease_runs_under_a_fresh_sixty_second_session_lease()
    {
        var locked = await LockAsync("session", 0);
        var lease = Get(locked.Key)!.Lease;
        Assert.NotEqual(0, lease);
        Assert.Equal($"session/{lease:x}", locked.Key.ToStringUtf8());
        Assert.Equal(60, _host.Node.Store.GetLease(lease)!.GrantedTtl);
    }

    [Fact]
    public async Task Waiting_lock_past_its_deadline_removes_its_key()
    {
        var holder = await LockAsync("deadline", await GrantAsync());
        var waiterLease = await GrantAsync();
        var result = await _client.UnaryAsync(LockPath, new LockRequest { Name = Bytes("deadline"), Lease = waiterLease },
            LockResponse.Parser, new Dictionary<string, string> { ["grpc-timeout"] = "300m" });

        Assert.Equal(4, result.Status);
        // The status is sent when the deadline passes (as a grpc-go client would see it itself); the waiter's key
        // is deleted right after, by the handler that was cancelled.
        await WaitUntilAsync(() => Get(Bytes($"deadline/{waiterLease:x}")) is null);
        Assert.NotNull(Get(holder.Key));
    }

    [Fact]
    public async Task Waiting_lock_cancelled_by_the_client_removes_its_key()
    {
        await LockAsync("abort", await GrantAsync());
        var waiterLease = await GrantAsync();
        var waiterKey = Bytes($"abort/{waiterLease:x}");
        using var cancel = new CancellationTokenSource();
        using var request = GrpcTestClient.NewRequest(LockPath,
            new ByteArrayContent(GrpcWire.Frame(new LockRequest { Name = Bytes("abort"), Lease = waiterLease })), null);
        var call = _client.Http.SendAsync(request, cancel.Token);
        await WaitUntilAsync(() => Get(waiterKey) is not null);

        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);

        await WaitUntilAsync(() => Get(waiterKey) is null);
    }

    [Fact]
    public async Task Unlock_of_an_empty_key_is_etcds_error_and_of_a_missing_key_succeeds()
    {
        var empty = await _client.UnaryAsync(UnlockPath, new UnlockRequest(), UnlockResponse.Parser);
        Assert.Equal(2, empty.Status);
        Assert.Equal("etcdserver: key is not provided", empty.Message);

        await UnlockAsync(Bytes("no/such"));
    }

    /// <summary>A thousand waiters on one name: each is woken by its predecessor's release alone, in queue order,
    /// and no two hold the lock at once.</summary>
    [Fact]
    public async Task Thousand_waiters_are_granted_one_at_a_time_in_queue_order()
    {
        const int waiters = 1000;
        var leases = new List<long>();
        for (var i = 0; i < waiters; i++) leases.Add(await GrantAsync());

        var holders = 0;
        var maxHolders = 0;
        var order = new List<long>();
        var tasks = leases.Select(async lease =>
        {
            var locked = await LockAsync("crowd", lease);
            var now = Interlocked.Increment(ref holders);
            lock (order)
            {
                maxHolders = Math.Max(maxHolders, now);
                order.Add(Get(locked.Key)!.CreateRevision);
            }
            await Task.Yield();
            Interlocked.Decrement(ref holders);
            await UnlockAsync(locked.Key);
        }).ToList();

        await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(120));
        Assert.Equal(1, maxHolders);
        Assert.Equal(waiters, order.Count);
        Assert.Equal(order.Order(), order);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 10 s");
            await Task.Delay(20);
        }
    }
}
