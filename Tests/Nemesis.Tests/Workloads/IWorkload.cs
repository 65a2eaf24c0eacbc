namespace Coordinator.Tests.Nemesis;

/// <summary>Clients that run until stopped, record every operation, and check what they recorded against the
/// server's history once the run is over.</summary>
internal interface IWorkload
{
    string Name { get; }

    Task RunAsync(CancellationToken stop);

    /// <summary>Acknowledged operations the checkers verified. Failed and unknown ones are checked too (an
    /// unknown write may take effect or not), but not counted: they prove little.</summary>
    int CheckedOperations { get; }

    /// <summary>After the cluster healed and settled: anomalies, one line each (empty: none).</summary>
    Task<IReadOnlyList<string>> CheckAsync(ServerHistory history, CancellationToken ct);

    /// <summary>The recorded operations, one line each, for the history file.</summary>
    IEnumerable<string> Describe();
}
