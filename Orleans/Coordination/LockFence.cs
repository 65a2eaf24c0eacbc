using Coordinator.Client;
using Coordinator.Recipes;


namespace Coordinator.Orleans.Coordination;

/// <summary>Fencing a grain's writes by the lock it holds. A lock can be lost without the holder noticing in time
/// (its silo paused, its lease expired, another contender took over), and Orleans may run two activations of one
/// grain, so "I hold the lock" is never enough on its own:
/// <list type="bullet">
/// <item>writes to the store: put the guard <see cref="StillHeld"/> in the same Txn as the write. The lock key is
/// <c>name/&lt;lease&gt;</c> and its create revision is the fencing token, so the write lands only while this very
/// acquisition's key exists (<see cref="PutIfHeldAsync"/> does exactly that);</item>
/// <item>writes elsewhere: send <see cref="DistributedLockHandle.FencingToken"/> along and have the resource reject a
/// token lower than the highest it has seen (tokens grow with every acquisition).</item>
/// </list></summary>
public static class LockFence
{
    /// <summary>True in a Txn only while <paramref name="handle"/>'s acquisition still holds the lock.</summary>
    public static Compare StillHeld(this DistributedLockHandle handle) =>
        Compare.CreateRevision(handle.Key) == handle.FencingToken;

    /// <summary>Puts <paramref name="key"/> only while the lock is held; false (nothing written) once it was lost.</summary>
    public static async Task<bool> PutIfHeldAsync(this DistributedLockHandle handle, CoordinatorClient client, string key, string value, CancellationToken ct = default)
    {
        var response = await client.Txn().If(handle.StillHeld()).Then(Op.Put(key, value)).CommitAsync(ct).ConfigureAwait(false);
        return response.Succeeded;
    }
}
