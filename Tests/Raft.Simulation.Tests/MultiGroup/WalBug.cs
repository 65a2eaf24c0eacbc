namespace Coordinator.Tests.Simulation;

/// <summary>Faults injected into the multi-group host on purpose, to prove the checkers catch a broken contract.</summary>
internal enum WalBug
{
    None,
    /// <summary>A group's Messages go out when its records are queued, before the shared fsync covers them.</summary>
    SendBeforeFsync,
    /// <summary>An fsync makes durable only the records of the group that asked for it, yet reports every
    /// waiting group's records durable.</summary>
    FsyncCoversOneGroup,
}
