using System.Runtime.CompilerServices;
using Coordinator.Gateway.Watch;
using Etcdserverpb;
using Google.Protobuf;
using Mvccpb;
using V3electionpb;

namespace Coordinator.Gateway.Services.Concurrency;

/// <summary>
/// The leader of an election and every change to it, as clientv3/concurrency's Election.Observe reports them:
/// the current leader (or, when there is none, the first key put under the prefix), then each new value the
/// leader proclaims, and after the leader's key is deleted the next leader. Not every intermediate leader is
/// guaranteed, the latest always is.
/// </summary>
/// <remarks>Where etcd's observer ends the stream on a compacted watch, this one reads the leader again and goes
/// on: the client may then see the current leader twice.</remarks>
internal sealed class LeaderObserver(RecipeKv kv, WatchHub hub)
{
    /// <summary>Responses carry a header with only the revision set. Runs until cancelled.</summary>
    public async IAsyncEnumerable<LeaderResponse> ObserveAsync(ByteString name, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var prefix = RecipeKeys.Prefix(name);
        while (true)
        {
            var current = await kv.RangeAsync(RecipeKeys.FirstCreated(prefix), cancellationToken);
            var leader = current.Kvs.Count > 0
                ? new LeaderResponse { Header = new ResponseHeader { Revision = current.Header.Revision }, Kv = current.Kvs[0] }
                : await FirstPutAsync(prefix, current.Header.Revision + 1, cancellationToken);
            if (leader is null) continue;
            yield return leader;

            using var feed = KeyEventFeed.Open(hub, leader.Header.Revision + 1, (leader.Kv.Key, ByteString.Empty));
            while (await feed.NextAsync(cancellationToken) is { } response)
            {
                var deleted = false;
                foreach (var change in response.Events)
                {
                    if (change.Type == Event.Types.EventType.Delete)
                    {
                        deleted = true;
                        break;
                    }
                    yield return new LeaderResponse { Header = new ResponseHeader { Revision = response.Header.Revision }, Kv = change.Kv };
                }
                if (deleted) break;
            }
        }
    }

    /// <summary>With no candidate yet, the first put under the prefix elects one; its header revision is the
    /// put's (several revisions may share one watch response). Null when the feed must be reopened.</summary>
    private async Task<LeaderResponse?> FirstPutAsync(ByteString prefix, long startRevision, CancellationToken cancellationToken)
    {
        using var feed = KeyEventFeed.Open(hub, startRevision, (prefix, RecipeKeys.PrefixEnd(prefix)));
        while (await feed.NextAsync(cancellationToken) is { } response)
        {
            foreach (var change in response.Events)
            {
                if (change.Type == Event.Types.EventType.Put)
                    return new LeaderResponse { Header = new ResponseHeader { Revision = change.Kv.ModRevision }, Kv = change.Kv };
            }
        }
        return null;
    }
}
