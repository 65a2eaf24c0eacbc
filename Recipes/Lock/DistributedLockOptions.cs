namespace Coordinator.Recipes;

public sealed class DistributedLockOptions
{
    /// <summary>TTL of the session lease created per acquisition (when <see cref="Session"/> is null): how long
    /// the lock outlives a crashed holder. Whole seconds; default 60 s like etcd.</summary>
    public TimeSpan TimeToLive { get; set; } = CoordinatorSession.DefaultTimeToLive;

    /// <summary>A session shared by several acquisitions (saves a lease grant and revoke per acquisition). Its key
    /// is <c>name/&lt;lease&gt;</c>, so one session must not hold the same lock twice at once (etcd's rule too).</summary>
    public CoordinatorSession? Session { get; set; }

    /// <summary>When set, the lock is released automatically this long after it was acquired
    /// (and <see cref="DistributedLockHandle.HandleLostToken"/> fires).</summary>
    public TimeSpan? MaxHoldTime { get; set; }
}
