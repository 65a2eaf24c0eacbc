using Coordinator.Client;
using RangeRequest = Etcdserverpb.RangeRequest;
using Mvccpb;

namespace Coordinator.Recipes;

/// <summary>etcd's concurrency layout, shared by every recipe: waiters are keys under one prefix, ordered by
/// create revision (the order in which they joined). Joining = a Txn that creates the key if its create revision
/// is 0 (else reads it); waiting = watching a key that was ahead of us for its deletion, then re-checking.
/// Never polls: each re-check is caused by a delete event.</summary>
internal static class WaitingLine
{
    private static readonly RangeOptions ByCreateRevision = new()
    {
        KeysOnly = true,
        SortTarget = RangeRequest.Types.SortTarget.Create,
        SortOrder = RangeRequest.Types.SortOrder.Ascend,
    };

    /// <summary>Creates <paramref name="key"/> attached to <paramref name="lease"/> unless it exists; returns its create revision.</summary>
    public static async Task<long> JoinAsync(CoordinatorClient client, string key, string value, long lease, CancellationToken ct)
    {
        var txn = await client.Txn()
            .If(Compare.CreateRevision(key) == 0)
            .Then(Op.Put(key, value, lease))
            .Else(Op.Get(key))
            .CommitAsync(ct).ConfigureAwait(false);
        // Created: the put's revision is the key's create revision. Existing (same session joined before): reuse it.
        return txn.Succeeded ? txn.Header.Revision : txn.Responses[0].ResponseRange.Kvs[0].CreateRevision;
    }

    /// <summary>Waits until at most <paramref name="allowedAhead"/> keys under <paramref name="prefix"/> that
    /// <paramref name="blocks"/> (all keys when null) have a create revision below <paramref name="ownRevision"/>.
    /// Throws <see cref="SessionExpiredException"/> when our own key (<paramref name="ownKey"/>) disappears.</summary>
    public static async Task WaitForTurnAsync(CoordinatorClient client, string prefix, string ownKey, long ownRevision,
        int allowedAhead, Func<KeyValue, bool>? blocks, CancellationToken ct)
    {
        while (true)
        {
            // The client's RangeOptions has no max_create_revision: read the line (keys only) and cut it at our key.
            var line = await client.GetRangeAsync(KeyRange.Prefix(prefix), ByCreateRevision, ct).ConfigureAwait(false);
            var ahead = new List<KeyValue>();
            var ownPresent = false;
            foreach (var kv in line.Kvs)
            {
                if (kv.CreateRevision >= ownRevision)
                {
                    ownPresent |= kv.CreateRevision == ownRevision && kv.Key.ToStringUtf8() == ownKey;
                    break;
                }
                if (blocks is null || blocks(kv)) ahead.Add(kv);
            }
            if (!ownPresent) throw new SessionExpiredException($"{ownKey} was deleted while waiting (session lease expired or revoked)");
            if (ahead.Count <= allowedAhead) return;

            // Any delete after our read may be the one we wait for; events from header+1 on cover exactly those.
            var from = line.Header.Revision + 1;
            if (allowedAhead == 0) await WaitForDeleteAsync(client, KeyRange.Single(ahead[^1].Key.ToByteArray()), from, ct).ConfigureAwait(false);
            else await WaitForDeleteAsync(client, KeyRange.Prefix(prefix), from, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Returns at the first delete in <paramref name="range"/> at or after <paramref name="fromRevision"/>.</summary>
    public static async Task WaitForDeleteAsync(CoordinatorClient client, KeyRange range, long fromRevision, CancellationToken ct)
    {
        await foreach (var e in client.WatchAsync(range, fromRevision, prevKv: false, ct).ConfigureAwait(false))
            if (e.Type == WatchEventType.Delete) return;
    }

    /// <summary>Returns at the first put in <paramref name="range"/> at or after <paramref name="fromRevision"/>.</summary>
    public static async Task WaitForPutAsync(CoordinatorClient client, KeyRange range, long fromRevision, CancellationToken ct)
    {
        await foreach (var e in client.WatchAsync(range, fromRevision, prevKv: false, ct).ConfigureAwait(false))
            if (e.Type == WatchEventType.Put) return;
    }

    /// <summary>The key under <paramref name="prefix"/> with the lowest create revision (with its value), and the read's revision.</summary>
    public static async Task<(KeyValue? First, long Revision)> FirstAsync(CoordinatorClient client, string prefix, CancellationToken ct)
    {
        var response = await client.GetRangeAsync(KeyRange.Prefix(prefix), new RangeOptions
        {
            Limit = 1,
            SortTarget = RangeRequest.Types.SortTarget.Create,
            SortOrder = RangeRequest.Types.SortOrder.Ascend,
        }, ct).ConfigureAwait(false);
        return (response.Kvs.FirstOrDefault(), response.Header.Revision);
    }

    /// <summary>The lease ID as etcd formats it in keys: lowercase hex, no padding.</summary>
    public static string LeaseSuffix(long leaseId) => leaseId.ToString("x");
}
