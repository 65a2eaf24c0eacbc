namespace Coordinator.Tests.Simulation;

/// <summary>What the checkers learned about the cluster's history, across all replicas.</summary>
internal sealed class SimHistory
{
    /// <summary>Hash chain after applying each index, and which node first applied it.</summary>
    public readonly Dictionary<ulong, (ulong Hash, ulong Node)> ChainAt = new();
    /// <summary>Term of each index known committed (some replica applied it).</summary>
    public readonly SortedDictionary<ulong, ulong> CommittedTerm = new();
    /// <summary>Proposal id applied at each index.</summary>
    public readonly Dictionary<ulong, ulong> ProposalAt = new();
    /// <summary>Index at which each proposal took effect (the session table called it new).</summary>
    public readonly Dictionary<ulong, ulong> EffectiveAt = new();
    /// <summary>Acknowledged proposals and the index they were acknowledged at.</summary>
    public readonly Dictionary<ulong, ulong> Acked = new();
    public ulong MaxAckedIndex;
}
