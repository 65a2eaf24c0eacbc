using Coordinator.Gateway;
using Coordinator.Grains.Store.V2Auth;
using Coordinator.Protocol.Internal;

namespace Coordinator.Silo.Hosting;

/// <summary>etcd 3.4's v2 auth store on this member: applied from the same log (RaftRequest field 22), in the
/// same snapshots and backups (the section after the silo table).</summary>
public sealed partial class ReplicaHost
{
    public V2AuthStore V2Auth { get; } = new();

    /// <summary>Loop: applies a v2 auth command; the outcome goes to this member's waiter, if any.</summary>
    private void ApplyV2Auth(RaftRequest request)
    {
        object outcome;
        try { outcome = V2Auth.Apply(request.V2Auth); }
        catch (V2AuthError e) { outcome = e; }
        if (request.Session == _session && _waiters.ContainsKey(request.Id)) _v2Results[request.Id] = outcome;
    }

    public async Task<V2AuthResult> ProposeV2AuthAsync(V2AuthCommand command, CancellationToken cancellationToken)
    {
        var request = new RaftRequest { V2Auth = command };
        try
        {
            await ProposeAsync(request, cancellationToken);
        }
        catch
        {
            _v2Results.TryRemove(request.Id, out _);
            throw;
        }
        if (!_v2Results.TryRemove(request.Id, out var outcome)) throw NodeException.Timeout();
        return outcome is V2AuthError error ? throw error : (V2AuthResult)outcome;
    }
}
