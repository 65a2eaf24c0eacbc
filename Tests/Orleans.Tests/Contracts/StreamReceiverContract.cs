using Coordinator.Client;
using Coordinator.Client.Tests.Fixtures;
using Coordinator.Orleans.Streams;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Configuration;
using Orleans.Streams;

namespace Coordinator.Orleans.Tests.Contracts;

/// <summary>The watch-backed stream provider's queue receiver, outside a silo: every change in revision order
/// with (revision, index) tokens, and a new receiver resumes right after the last delivered change.</summary>
public abstract class StreamReceiverContract : IAsyncLifetime
{
    private readonly IServerFixture _server;
    private readonly string _root = Fixtures.Stores.NewRoot();
    private readonly string _watched;
    private readonly CoordinatorClient _client;

    protected StreamReceiverContract(IServerFixture server)
    {
        _server = server;
        _watched = _root + "/watched/";
        _client = new CoordinatorClient(Fixtures.Stores.ClientOptions(server));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _client.DeleteRangeAsync(KeyRange.Prefix(_root + "/"));
        await _client.DisposeAsync();
    }

    private CoordinatorStreamAdapterFactory NewFactory() => new("keys",
        new CoordinatorStreamOptions { Client = Fixtures.Stores.ClientOptions(_server), RootPrefix = _root, Prefixes = [_watched, _root + "/other/"], QueueCount = 2 },
        new ClusterOptions { ClusterId = "c", ServiceId = "svc" }, NullLoggerFactory.Instance);

    private static async Task<IQueueAdapterReceiver> StartReceiver(CoordinatorStreamAdapterFactory factory, string prefix, CoordinatorStreamOptions? options = null)
    {
        var stream = StreamId(prefix);
        var receiver = factory.CreateReceiver(factory.GetStreamQueueMapper().GetQueueForStream(stream));
        await receiver.Initialize(TimeSpan.FromSeconds(10));
        return receiver;
    }

    private static global::Orleans.Runtime.StreamId StreamId(string prefix) =>
        CoordinatorStreamAdapterFactory.StreamOf(new CoordinatorStreamOptions(), prefix);

    private static async Task<List<KeyChangeBatchContainer>> Receive(IQueueAdapterReceiver receiver, int count)
    {
        var got = new List<KeyChangeBatchContainer>();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (got.Count < count && DateTime.UtcNow < deadline)
        {
            got.AddRange((await receiver.GetQueueMessagesAsync(100, CancellationToken.None)).Cast<KeyChangeBatchContainer>());
            if (got.Count < count) await Task.Delay(20);
        }
        Assert.Equal(count, got.Count);
        return got;
    }

    [Fact]
    public async Task Changes_arrive_in_revision_order_with_revision_tokens()
    {
        var factory = NewFactory();
        var receiver = await StartReceiver(factory, _watched);
        var a = await _client.PutAsync(_watched + "a", "1");
        var txn = await _client.Txn().Then(Op.Put(_watched + "b", "2"), Op.Put(_watched + "c", "3")).CommitAsync();
        await _client.PutAsync(_root + "/elsewhere/x", "ignored");
        var d = await _client.DeleteAsync(_watched + "a");

        var got = await Receive(receiver, 4);
        Assert.Equal(["a", "b", "c", "a"], got.Select(c => c.Change.Key[_watched.Length..]));
        Assert.Equal([a.Header.Revision, txn.Header.Revision, txn.Header.Revision, d.Header.Revision], got.Select(c => c.SequenceToken.SequenceNumber));
        Assert.Equal([0, 0, 1, 0], got.Select(c => c.SequenceToken.EventIndex));
        Assert.Equal("3", got[2].Change.ValueText);
        Assert.True(got[3].Change.IsDelete);
        Assert.All(got, c => Assert.Equal(StreamId(_watched), c.StreamId));
        var events = got[1].GetEvents<KeyChange>().ToList();
        Assert.Equal(got[1].Change, Assert.Single(events).Item1);
        Assert.Empty(await receiver.GetQueueMessagesAsync(100, CancellationToken.None));
        await receiver.Shutdown(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_new_receiver_resumes_after_the_last_delivered_change()
    {
        var first = await StartReceiver(NewFactory(), _watched);
        var revisions = new List<long>();
        for (var i = 0; i < 6; i++) revisions.Add((await _client.PutAsync(_watched + "k" + i, "v" + i)).Header.Revision);
        var got = await Receive(first, 6);
        await first.MessagesDeliveredAsync(got.Take(4).Cast<IBatchContainer>().ToList(), CancellationToken.None);
        await first.MessagesDeliveredAsync(got.Take(2).Cast<IBatchContainer>().ToList(), CancellationToken.None); // late, older: ignored
        await first.Shutdown(TimeSpan.FromSeconds(5));   // as if its silo died with k4 and k5 undelivered

        var later = (await _client.PutAsync(_watched + "k6", "v6")).Header.Revision;
        var second = await StartReceiver(NewFactory(), _watched);
        var resumed = await Receive(second, 3);
        Assert.Equal([revisions[4], revisions[5], later], resumed.Select(c => c.SequenceToken.SequenceNumber));
        await second.Shutdown(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Resuming_inside_a_multi_key_revision_skips_only_what_was_delivered()
    {
        var first = await StartReceiver(NewFactory(), _watched);
        var txn = await _client.Txn().Then(Op.Put(_watched + "x", "1"), Op.Put(_watched + "y", "2"), Op.Put(_watched + "z", "3")).CommitAsync();
        var got = await Receive(first, 3);
        await first.MessagesDeliveredAsync([got[0]], CancellationToken.None);
        await first.Shutdown(TimeSpan.FromSeconds(5));

        var second = await StartReceiver(NewFactory(), _watched);
        var resumed = await Receive(second, 2);
        Assert.Equal(["y", "z"], resumed.Select(c => c.Change.Key[_watched.Length..]));
        Assert.All(resumed, c => Assert.Equal(txn.Header.Revision, c.SequenceToken.SequenceNumber));
        await second.Shutdown(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Producing_to_the_stream_is_refused_with_a_reason()
    {
        var factory = NewFactory();
        var e = await Assert.ThrowsAsync<NotSupportedException>(() =>
            factory.QueueMessageBatchAsync(StreamId(_watched), new[] { 1 }, null, null));
        Assert.Contains("write the key", e.Message);
    }
}

[Collection(Fixtures.CoordinatorCollection.Name)]
public sealed class StreamReceiverOnCoordinator(Fixtures.CoordinatorClusterFixture server) : StreamReceiverContract(server);

[Collection(Fixtures.EtcdCollection.Name)]
public sealed class StreamReceiverOnEtcd(EtcdServerFixture server) : StreamReceiverContract(server);
