using Coordinator.Gateway.Watch;
using Etcdserverpb;
using Google.Protobuf;
using Mvccpb;

namespace Coordinator.Gateway.Services.Concurrency;

/// <summary>
/// Waits until a contender's key has the lowest create revision under its prefix (clientv3/concurrency's
/// waitDeletes): it watches only the key created just before its own, so a release wakes one waiter, not all.
/// Thousands of waiters cost one hub stream each and no thread; nothing polls.
/// </summary>
/// <remarks>
/// Create revisions only grow, so once no key under the prefix has a lower create revision than ours, none
/// ever will again: the turn has come if our key still exists after that read. Unlike etcd 3.4 (which would
/// report success for a key its lease had already deleted), a deleted own key ends the wait with
/// <see cref="RecipeErrors.SessionExpired"/>, as soon as the deletion is applied.
/// </remarks>
internal sealed class TurnWaiter(RecipeKv kv, WatchHub hub)
{
    /// <returns>The header of the read that found no earlier contender (etcd's lock response header).</returns>
    public async Task<ResponseHeader> WaitAsync(ByteString prefix, ByteString ownKey, long ownCreateRevision, CancellationToken cancellationToken)
    {
        while (true)
        {
            var earlier = await kv.RangeAsync(RecipeKeys.LastCreatedUpTo(prefix, ownCreateRevision - 1), cancellationToken);
            // Read after `earlier`: if it still exists, no deletion of it before that read went unseen.
            var own = await kv.RangeAsync(new RangeRequest { Key = ownKey, CountOnly = true }, cancellationToken);
            if (own.Count == 0) throw RecipeErrors.SessionExpired();
            if (earlier.Kvs.Count == 0) return earlier.Header;

            var predecessor = earlier.Kvs[0].Key;
            using var feed = KeyEventFeed.Open(hub, earlier.Header.Revision + 1,
                (predecessor, ByteString.Empty), (ownKey, ByteString.Empty));
            await WaitForDeletionAsync(feed, predecessor, ownKey, cancellationToken);
        }
    }

    /// <summary>Returns when the predecessor is deleted (or the feed must be reopened); throws when our own key is.</summary>
    private static async Task WaitForDeletionAsync(KeyEventFeed feed, ByteString predecessor, ByteString ownKey, CancellationToken cancellationToken)
    {
        while (await feed.NextAsync(cancellationToken) is { } response)
        {
            foreach (var change in response.Events)
            {
                if (change.Type != Event.Types.EventType.Delete) continue;
                if (change.Kv.Key.Equals(ownKey)) throw RecipeErrors.SessionExpired();
                if (change.Kv.Key.Equals(predecessor)) return;
            }
        }
    }
}
