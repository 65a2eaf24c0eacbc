using Coordinator.Client;
using Mvccpb;

namespace Coordinator.Recipes;

/// <summary>The acquire path shared by lock, semaphore and reader-writer lock: obtain a session, join the line
/// under it, wait for our turn (bounded by a timeout), and on any failure leave the line again so no stale
/// key blocks others.</summary>
internal static class LineAcquirer
{
    /// <param name="keyFor">the waiter key for a lease id</param>
    /// <param name="allowedAhead">how many blocking keys may be ahead of ours while we hold (0 = exclusive)</param>
    /// <param name="blocks">which earlier keys count (null = all)</param>
    /// <returns>null when <paramref name="timeout"/> ran out first.</returns>
    public static async Task<DistributedLockHandle?> TryAcquireAsync(CoordinatorClient client, DistributedLockOptions options,
        string prefix, Func<long, string> keyFor, int allowedAhead, Func<KeyValue, bool>? blocks, TimeSpan timeout, CancellationToken ct)
    {
        var session = await SessionLease.ObtainAsync(client, options.Session, options.TimeToLive, ct).ConfigureAwait(false);
        var key = keyFor(session.LeaseId);
        var joined = false;
        try
        {
            var revision = await WaitingLine.JoinAsync(client, key, "", session.LeaseId, ct).ConfigureAwait(false);
            joined = true;
            using var waiting = CancellationTokenSource.CreateLinkedTokenSource(ct, session.Session.LostToken);
            if (timeout != Timeout.InfiniteTimeSpan) waiting.CancelAfter(timeout);
            try
            {
                await WaitingLine.WaitForTurnAsync(client, prefix, key, revision, allowedAhead, blocks, waiting.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                if (session.Session.IsLost) throw new SessionExpiredException($"session lease of {key} lost while waiting");
                await session.LeaveAsync(key, CancellationToken.None).ConfigureAwait(false);
                return null;
            }
            return new DistributedLockHandle(session, key, revision, options.MaxHoldTime);
        }
        catch
        {
            if (joined) await session.LeaveAsync(key, CancellationToken.None).ConfigureAwait(false);
            else if (session.Owned) await session.Session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
