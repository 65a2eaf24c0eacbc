using Coordinator.Client;

namespace Coordinator.Recipes;

/// <summary>The session a recipe's key is attached to: either one it created for itself (owned: disposing it
/// revokes the lease) or one the caller shares between recipes (borrowed: left alone).</summary>
internal readonly record struct SessionLease(CoordinatorSession Session, bool Owned)
{
    public static async Task<SessionLease> ObtainAsync(CoordinatorClient client, CoordinatorSession? shared, TimeSpan timeToLive, CancellationToken ct) =>
        shared is not null
            ? new SessionLease(shared, Owned: false)
            : new SessionLease(await CoordinatorSession.CreateAsync(client, timeToLive, ct).ConfigureAwait(false), Owned: true);

    public long LeaseId => Session.LeaseId;

    /// <summary>Deletes <paramref name="key"/> (best effort) and revokes the lease when owned.</summary>
    public async Task LeaveAsync(string key, CancellationToken ct)
    {
        try
        {
            await Session.Client.DeleteAsync(key, ct: ct).ConfigureAwait(false);
        }
        catch (Exception e) when (Owned && e is CoordinatorException or OperationCanceledException)
        {
            // Revoking the owned lease below deletes the key too (or it expires with the lease).
        }
        finally
        {
            if (Owned) await Session.DisposeAsync().ConfigureAwait(false);
        }
    }
}
