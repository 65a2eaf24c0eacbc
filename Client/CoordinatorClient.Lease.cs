using Coordinator.Client.Transport;
using Etcdserverpb;
using Grpc.Core;

namespace Coordinator.Client;

public sealed partial class CoordinatorClient
{
    /// <summary>Grants a lease of <paramref name="ttlSeconds"/>; <paramref name="id"/> 0 lets the server pick the ID.</summary>
    public async Task<LeaseGrantResponse> GrantAsync(long ttlSeconds, long id = 0, CancellationToken ct = default)
    {
        var response = await Invoker.UnaryAsync(EtcdMethods.LeaseGrant, new LeaseGrantRequest { TTL = ttlSeconds, ID = id }, ct).ConfigureAwait(false);
        if (!string.IsNullOrEmpty(response.Error)) throw new CoordinatorException(StatusCode.Unknown, response.Error);
        return response;
    }

    /// <summary>Revokes the lease and deletes every key attached to it.</summary>
    public Task<LeaseRevokeResponse> RevokeAsync(long leaseId, CancellationToken ct = default) =>
        Invoker.UnaryAsync(EtcdMethods.LeaseRevoke, new LeaseRevokeRequest { ID = leaseId }, ct);

    /// <summary>Remaining TTL (-1 when the lease is expired or unknown), granted TTL and optionally the attached keys.</summary>
    public Task<LeaseTimeToLiveResponse> TimeToLiveAsync(long leaseId, bool keys = false, CancellationToken ct = default) =>
        Invoker.UnaryAsync(EtcdMethods.LeaseTimeToLive, new LeaseTimeToLiveRequest { ID = leaseId, Keys = keys }, ct);

    public Task<LeaseLeasesResponse> LeasesAsync(CancellationToken ct = default) =>
        Invoker.UnaryAsync(EtcdMethods.LeaseLeases, new LeaseLeasesRequest(), ct);

    /// <summary>Starts keeping the lease alive in the background (renewing at TTL/3 on a LeaseKeepAlive stream,
    /// moving to another endpoint when one fails). Returns after the first successful renewal; throws
    /// <see cref="CoordinatorException"/> (NotFound) when the lease does not exist. Dispose the keeper to stop
    /// renewing (the lease then expires by itself; revoke it to end it at once).</summary>
    public async Task<LeaseKeeper> KeepAliveAsync(long leaseId, CancellationToken ct = default)
    {
        var keeper = new LeaseKeeper(this, leaseId);
        try
        {
            await keeper.StartAsync(ct).ConfigureAwait(false);
            return keeper;
        }
        catch
        {
            await keeper.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Grants a lease and keeps it alive: the common "session" pattern.</summary>
    public async Task<LeaseKeeper> GrantAndKeepAliveAsync(long ttlSeconds, CancellationToken ct = default)
    {
        var grant = await GrantAsync(ttlSeconds, 0, ct).ConfigureAwait(false);
        return await KeepAliveAsync(grant.ID, ct).ConfigureAwait(false);
    }
}
