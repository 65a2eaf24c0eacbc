using Coordinator.Orleans.Coordination;
using Coordinator.Recipes;
using Orleans;

namespace Coordinator.Orleans.Tests.Grains;

public interface ILockHolderGrain : IGrainWithStringKey
{
    /// <summary>Tries the lock for up to <paramref name="waitMs"/>; returns (fencing token, lease) or (0, 0).</summary>
    Task<(long Token, long Lease)> TryAcquire(string name, int waitMs);
    /// <summary>Writes <paramref name="key"/> fenced by the held lock; false when the lock was lost.</summary>
    Task<bool> WriteFenced(string key, string value);
}

/// <summary>The fencing pattern from a grain: the lock comes from <see cref="CoordinatorRecipes"/> in the silo's
/// DI, and every write carries the lock's guard, so it lands only while this acquisition holds the lock.</summary>
public sealed class LockHolderGrain(CoordinatorRecipes recipes) : Grain, ILockHolderGrain
{
    private DistributedLockHandle? _handle;

    public async Task<(long Token, long Lease)> TryAcquire(string name, int waitMs)
    {
        _handle = await recipes.Lock(name).TryAcquireAsync(TimeSpan.FromMilliseconds(waitMs));
        return _handle is null ? (0, 0) : (_handle.FencingToken, _handle.LeaseId);
    }

    public Task<bool> WriteFenced(string key, string value) =>
        _handle is null ? Task.FromResult(false) : _handle.PutIfHeldAsync(recipes.Client, key, value);

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_handle is not null) await _handle.DisposeAsync(); // the lock belongs to the silo's session: release it
    }
}
