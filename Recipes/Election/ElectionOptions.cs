namespace Coordinator.Recipes;

public sealed class ElectionOptions
{
    /// <summary>TTL of the session lease created per campaign (when <see cref="Session"/> is null): how long a
    /// crashed leader keeps leading. Whole seconds; default 60 s like etcd.</summary>
    public TimeSpan TimeToLive { get; set; } = CoordinatorSession.DefaultTimeToLive;

    /// <summary>A session shared with other recipes; the candidate key is <c>name/&lt;lease&gt;</c>.</summary>
    public CoordinatorSession? Session { get; set; }
}
