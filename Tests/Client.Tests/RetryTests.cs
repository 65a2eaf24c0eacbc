using Coordinator.Client.Tests.Fixtures;
using Etcdserverpb;
using Grpc.Core;

namespace Coordinator.Client.Tests;

/// <summary>
/// etcd's retry rules against a scripted server: it applies each request (counting it) and then, for the first
/// calls, breaks the connection before answering, so the client sees a failure after its request arrived.
/// A read is retried and succeeds; a write is never retried and applied exactly once. A write whose request cannot
/// have left the client (no member reachable yet) is retried until one is.
/// </summary>
public sealed class RetryTests : IAsyncLifetime
{
    private readonly ScriptedServer _server = new();
    private readonly ScriptedKv _kv = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Task StartServerAsync() => _server.StartAsync(_kv);

    private CoordinatorClient NewClient() => new(new CoordinatorClientOptions
    {
        Endpoints = [_server.Endpoint],
        RequestTimeout = TimeSpan.FromSeconds(10),
        Retry = new RetryPolicy { MaxAttempts = 20, InitialBackoff = TimeSpan.FromMilliseconds(20), MaxBackoff = TimeSpan.FromMilliseconds(200) },
    });

    [Fact]
    public async Task A_write_that_reached_the_server_is_not_retried_and_applies_once()
    {
        await StartServerAsync();
        _kv.BreakNext = 1;
        using var client = NewClient();
        var e = await Assert.ThrowsAsync<CoordinatorException>(() => client.PutAsync("k", "v"));
        Assert.True(e.IsUnavailable, e.Message);
        Assert.Equal(1, _kv.Puts);

        // The next write goes through on a new connection, once.
        await client.PutAsync("k", "v2");
        Assert.Equal(2, _kv.Puts);
    }

    [Fact]
    public async Task A_read_that_failed_after_reaching_the_server_is_retried()
    {
        await StartServerAsync();
        _kv.BreakNext = 2;
        using var client = NewClient();
        var range = await client.GetRangeAsync(KeyRange.Single("k"));
        Assert.Equal(3, _kv.Ranges);
        Assert.Equal(0, range.Count);
    }

    [Fact]
    public async Task A_write_sent_while_no_member_is_reachable_is_retried_until_one_is_and_applies_once()
    {
        using var client = NewClient();
        var put = client.PutAsync("k", "v");
        await Task.Delay(500);
        Assert.False(put.IsCompleted);
        await StartServerAsync();
        await put;
        Assert.Equal(1, _kv.Puts);
    }

    /// <summary>Counts what it applies; breaks the connection (HTTP/2 abort) after applying the next
    /// <see cref="BreakNext"/> calls.</summary>
    public sealed class ScriptedKv : KV.KVBase
    {
        private int _puts;
        private int _ranges;
        private int _breakNext;

        public int Puts => Volatile.Read(ref _puts);
        public int Ranges => Volatile.Read(ref _ranges);
        public int BreakNext { set => Volatile.Write(ref _breakNext, value); }

        public override Task<PutResponse> Put(PutRequest request, ServerCallContext context)
        {
            Interlocked.Increment(ref _puts);
            return Answer(new PutResponse { Header = new ResponseHeader { Revision = 2 } }, context);
        }

        public override Task<RangeResponse> Range(RangeRequest request, ServerCallContext context)
        {
            Interlocked.Increment(ref _ranges);
            return Answer(new RangeResponse { Header = new ResponseHeader { Revision = 2 } }, context);
        }

        private async Task<T> Answer<T>(T response, ServerCallContext context)
        {
            if (Interlocked.Decrement(ref _breakNext) < 0) return response;
            context.GetHttpContext().Abort();
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
            return response;
        }
    }
}
