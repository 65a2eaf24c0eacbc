namespace Coordinator.Silo.Cluster;

/// <summary>A running cluster as its peer endpoint /members describes it to a joining member.</summary>
public sealed record ClusterInfo(ulong ClusterId, IReadOnlyList<Member> Members);
