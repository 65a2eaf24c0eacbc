using Coordinator.Client;

namespace Coordinator.Recipes;

/// <summary>Where and how <see cref="CoordinatorConfigurationProvider"/> reads its keys.</summary>
public sealed class CoordinatorConfigurationOptions
{
    /// <summary>A client to share (not disposed by the provider). Takes precedence over <see cref="ClientOptions"/>.</summary>
    public CoordinatorClient? Client { get; set; }

    /// <summary>Options for a client the provider creates and disposes. When neither this nor <see cref="Client"/>
    /// is set, the "Coordinator" section of the configuration sources added before this one is used
    /// (e.g. <c>Coordinator:Endpoints:0</c>), else 127.0.0.1:2379.</summary>
    public CoordinatorClientOptions? ClientOptions { get; set; }

    /// <summary>When true, a failed initial load leaves the configuration empty instead of throwing.</summary>
    public bool Optional { get; set; }

    /// <summary>Watch the prefix and reload on every change (default true).</summary>
    public bool ReloadOnChange { get; set; } = true;

    /// <summary>Pause before re-reading everything after the watch failed for good (e.g. compaction).</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);
}
