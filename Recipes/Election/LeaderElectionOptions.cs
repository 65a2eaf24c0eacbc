namespace Coordinator.Recipes;

/// <summary>Configures one <see cref="LeaderElectionService"/> (named options, by election name).</summary>
public sealed class LeaderElectionOptions
{
    /// <summary>This candidate's value, visible to observers as the leader's value. Default "machine/pid".</summary>
    public string Value { get; set; } = $"{Environment.MachineName}/{Environment.ProcessId}";

    /// <summary>Session TTL per campaign: how long a crashed leader blocks the others. Default 15 s.</summary>
    public TimeSpan TimeToLive { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Pause before campaigning again after an error.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Called when this instance becomes leader; the token is cancelled when leadership ends (lost, or
    /// the host stops). Leadership is kept until then even if the returned task completes early.</summary>
    public Func<CancellationToken, Task>? OnStartedLeading { get; set; }

    /// <summary>Called after leadership ended, once <see cref="OnStartedLeading"/>'s task has finished.</summary>
    public Action? OnStoppedLeading { get; set; }

    /// <summary>Called with the leader's value whenever it changes (this instance's value included).</summary>
    public Action<string>? OnNewLeader { get; set; }
}
