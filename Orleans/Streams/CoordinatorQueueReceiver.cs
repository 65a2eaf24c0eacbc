using System.Threading.Channels;
using Coordinator.Client;
using Coordinator.Orleans.Diagnostics;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Streams;

namespace Coordinator.Orleans.Streams;

/// <summary>Reads one queue: runs a <see cref="PrefixWatcher"/> per prefix mapped to it, starting right after the
/// prefix's checkpoint, and moves the checkpoint when Orleans reports changes delivered. Orleans reports a change
/// only once every consumer cursor has moved past it, so after a silo failure the next owner of the queue
/// redelivers from the first change not yet delivered to all: at-least-once, in revision order; a consumer that
/// keeps the last token it processed drops the repeats.</summary>
internal sealed class CoordinatorQueueReceiver : IQueueAdapterReceiver
{
    private readonly CoordinatorClient _client;
    private readonly StreamCheckpoints _checkpoints;
    private readonly IReadOnlyList<(string Prefix, StreamId StreamId)> _streams;
    private readonly CoordinatorStreamOptions _options;
    private readonly string _provider;
    private readonly QueueId _queueId;
    private readonly ILogger _logger;
    private readonly Channel<KeyChangeBatchContainer> _changes;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _watchers = new();

    public CoordinatorQueueReceiver(CoordinatorClient client, StreamCheckpoints checkpoints, IReadOnlyList<(string, StreamId)> streams,
        CoordinatorStreamOptions options, string provider, QueueId queueId, ILogger logger)
    {
        _client = client;
        _checkpoints = checkpoints;
        _streams = streams;
        _options = options;
        _provider = provider;
        _queueId = queueId;
        _logger = logger;
        // Bounded: a slow puller makes the watchers wait instead of growing memory without limit.
        _changes = Channel.CreateBounded<KeyChangeBatchContainer>(new BoundedChannelOptions(Math.Max(1, options.CacheSize))
        {
            SingleReader = true, FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public async Task Initialize(TimeSpan timeout)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        cts.CancelAfter(timeout);
        foreach (var (prefix, streamId) in _streams)
        {
            // No checkpoint yet: the stream starts with the changes after now.
            var after = await _checkpoints.ReadAsync(prefix, cts.Token).ConfigureAwait(false)
                ?? new StreamPosition(await CurrentRevisionAsync(prefix, cts.Token).ConfigureAwait(false), StreamPosition.WholeRevision);
            Log.StreamWatchStarted(_logger, _provider, _queueId.ToString(), prefix, after.WatchFrom);
            var watcher = new PrefixWatcher(_client, _provider, prefix, streamId, _changes.Writer, _options.WatchRetryDelay, _logger);
            _watchers.Add(Task.Run(() => watcher.RunAsync(after, _stop.Token)));
        }
    }

    [Obsolete("Use the overload which accepts a CancellationToken.")]
    public Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount) => GetQueueMessagesAsync(maxCount, CancellationToken.None);

    public Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount, CancellationToken cancellationToken)
    {
        var limit = maxCount <= 0 ? int.MaxValue : maxCount; // QueueAdapterConstants.UNLIMITED_GET_QUEUE_MSG is -1
        var batch = new List<IBatchContainer>();
        while (batch.Count < limit && _changes.Reader.TryRead(out var change)) batch.Add(change);
        return Task.FromResult<IList<IBatchContainer>>(batch);
    }

    [Obsolete("Use the overload which accepts a CancellationToken.")]
    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages) => MessagesDeliveredAsync(messages, CancellationToken.None);

    public async Task MessagesDeliveredAsync(IList<IBatchContainer> messages, CancellationToken cancellationToken)
    {
        foreach (var (streamId, delivered) in messages.OfType<KeyChangeBatchContainer>().GroupBy(m => m.StreamId).Select(g => (g.Key, g.Max(m => m.Position))))
        {
            var prefix = _streams.First(s => s.StreamId.Equals(streamId)).Prefix;
            try { await _checkpoints.AdvanceAsync(prefix, delivered, cancellationToken).ConfigureAwait(false); }
            catch (Exception e) when (e is CoordinatorException or OperationCanceledException)
            {
                // Not fatal: a later delivery moves it further; a failure before then only means more repeats.
                Log.StreamCheckpointFailed(_logger, e, _provider, prefix);
            }
        }
    }

    public async Task Shutdown(TimeSpan timeout)
    {
        _stop.Cancel();
        await Task.WhenAll(_watchers).WaitAsync(timeout).ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task<long> CurrentRevisionAsync(string prefix, CancellationToken ct)
    {
        var response = await _client.GetRangeAsync(KeyRange.Prefix(prefix), new RangeOptions { CountOnly = true }, ct).ConfigureAwait(false);
        return response.Header.Revision;
    }
}
