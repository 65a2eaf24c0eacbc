using Coordinator.Gateway.Watch;
using Etcdserverpb;
using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Coordinator.Tests.Gateway;

public sealed class WatchServiceTests : IAsyncLifetime
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

    private async Task PutAsync(string key, string value)
    {
        var result = await _client.UnaryAsync("/etcdserverpb.KV/Put", new PutRequest { Key = Bytes(key), Value = Bytes(value) }, PutResponse.Parser);
        Assert.Equal(0, result.Status);
    }

    private Task<DuplexCall<WatchResponse>> OpenAsync() => _client.DuplexAsync("/etcdserverpb.Watch/Watch", WatchResponse.Parser);

    private static WatchRequest Create(string key, long startRevision = 0, bool prevKv = false) =>
        new() { CreateRequest = new WatchCreateRequest { Key = Bytes(key), StartRevision = startRevision, PrevKv = prevKv } };

    [Fact]
    public async Task Create_put_cancel_with_headers_filled()
    {
        using var call = await OpenAsync();
        await call.SendAsync(Create("w", prevKv: true));
        var created = await call.ReadAsync();
        Assert.True(created!.Created);
        Assert.Equal(0xC1UL, created.Header.ClusterId);
        Assert.Equal(3UL, created.Header.RaftTerm);

        await PutAsync("w", "1");
        await PutAsync("other", "x");
        await PutAsync("w", "2");
        var events = new List<Mvccpb.Event>();
        while (events.Count < 2) events.AddRange((await call.ReadAsync())!.Events);
        Assert.Equal(["1", "2"], events.Select(e => e.Kv.Value.ToStringUtf8()));
        Assert.Equal("1", events[1].PrevKv.Value.ToStringUtf8());

        await call.SendAsync(new WatchRequest { CancelRequest = new WatchCancelRequest { WatchId = created.WatchId } });
        var canceled = await call.ReadAsync();
        Assert.True(canceled!.Canceled);
        Assert.Equal(created.WatchId, canceled.WatchId);
    }

    [Fact]
    public async Task History_replay_progress_and_half_close_keeps_the_stream()
    {
        await PutAsync("h", "old");
        using var call = await OpenAsync();
        await call.SendAsync(Create("h", startRevision: 1));
        Assert.True((await call.ReadAsync())!.Created);
        var replay = await call.ReadAsync();
        Assert.Equal("old", Assert.Single(replay!.Events).Kv.Value.ToStringUtf8());

        await call.SendAsync(new WatchRequest { ProgressRequest = new WatchProgressRequest() });
        var progress = await call.ReadAsync();
        Assert.Equal(-1, progress!.WatchId);
        Assert.Equal(2, progress.Header.Revision);

        call.CompleteRequests();
        await PutAsync("h", "new");
        var live = await call.ReadAsync();
        Assert.Equal("new", Assert.Single(live!.Events).Kv.Value.ToStringUtf8());
    }

    [Fact]
    public async Task Compacted_start_is_canceled_with_compact_revision()
    {
        for (var i = 0; i < 4; i++) await PutAsync("c", i.ToString());
        var compact = await _client.UnaryAsync("/etcdserverpb.KV/Compact", new CompactionRequest { Revision = 4 }, CompactionResponse.Parser);
        Assert.Equal(0, compact.Status);

        using var call = await OpenAsync();
        await call.SendAsync(Create("c", startRevision: 2));
        var first = await call.ReadAsync();
        var canceled = first!.Canceled ? first : await call.ReadAsync();
        Assert.True(canceled!.Canceled);
        Assert.Equal(4, canceled.CompactRevision);
        Assert.Equal(0xC1UL, canceled.Header.ClusterId);
    }

    [Fact]
    public async Task Etcdctl_watch_sees_a_put()
    {
        var start = new System.Diagnostics.ProcessStartInfo("etcdctl")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var arg in new[] { $"--endpoints={_host.Endpoint}", "watch", "wk" }) start.ArgumentList.Add(arg);
        using var process = System.Diagnostics.Process.Start(start)!;
        try
        {
            var hub = _host.Services.GetRequiredService<WatchHub>();
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (hub.WatcherCount == 0 && DateTime.UtcNow < deadline) await Task.Delay(50);
            Assert.Equal(1, hub.WatcherCount);

            await PutAsync("wk", "seen");
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            Assert.Equal("PUT", await process.StandardOutput.ReadLineAsync(timeout.Token));
            Assert.Equal("wk", await process.StandardOutput.ReadLineAsync(timeout.Token));
            Assert.Equal("seen", await process.StandardOutput.ReadLineAsync(timeout.Token));
        }
        finally
        {
            process.Kill();
        }
    }
}
