using System.Threading.Channels;
using Coordinator.Client;
using Coordinator.Orleans.Diagnostics;
using Microsoft.Extensions.Logging;
using Orleans.Providers.Streams.Common;
using Orleans.Runtime;

namespace Coordinator.Orleans.Streams;

/// <summary>Watches one prefix from a position and writes every later change, in revision order, to a channel.
/// A broken watch starts again at the revision of the last change it wrote and skips what it already wrote, so
/// nothing is written twice or lost between attempts.</summary>
internal sealed class PrefixWatcher(CoordinatorClient client, string provider, string prefix, StreamId streamId,
    ChannelWriter<KeyChangeBatchContainer> output, TimeSpan retryDelay, ILogger logger)
{
    public async Task RunAsync(StreamPosition after, CancellationToken ct)
    {
        var last = after;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var revision = 0L;
                var index = -1;
                await foreach (var e in client.WatchAsync(KeyRange.Prefix(prefix), last.WatchFrom, prevKv: false, ct).ConfigureAwait(false))
                {
                    if (e.Revision != revision) (revision, index) = (e.Revision, 0);
                    else index++;
                    var position = new StreamPosition(revision, index);
                    if (position <= last) continue; // already written by an earlier attempt
                    var change = new KeyChange
                    {
                        Key = e.Key, Value = e.Kv.Value.ToByteArray(), Revision = revision,
                        IsDelete = e.Type == WatchEventType.Delete, Version = e.Kv.Version,
                    };
                    await output.WriteAsync(new KeyChangeBatchContainer(streamId, change, new EventSequenceTokenV2(revision, index)), ct).ConfigureAwait(false);
                    last = position;
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { return; }
            catch (WatchCompactedException compacted)
            {
                // The history is gone; say so loudly and go on from the oldest revision still there.
                Log.StreamCompacted(logger, provider, prefix, compacted.RequestedRevision, compacted.CompactRevision);
                last = new StreamPosition(compacted.CompactRevision - 1, StreamPosition.WholeRevision);
            }
            catch (Exception e)
            {
                Log.StreamWatchRestarting(logger, e, provider, prefix, last.WatchFrom);
                try { await Task.Delay(retryDelay, ct).ConfigureAwait(false); }
                catch (OperationCanceledException) { return; }
            }
        }
    }
}
