namespace Coordinator.Silo.Discovery;

/// <summary>A node of a v2 keys answer (etcd's client.Node), as the discovery registry returns it.</summary>
internal sealed record RegistryNode(string Key, string? Value, bool Dir, List<RegistryNode>? Nodes, ulong CreatedIndex, ulong ModifiedIndex);

/// <summary>One v2 keys answer: its node on success, else its errorCode and message; <see cref="Index"/> is X-Etcd-Index.</summary>
internal sealed record RegistryAnswer(int Status, RegistryNode? Node, int ErrorCode, string? Message, ulong Index)
{
    public bool Ok => Status is 200 or 201;
}
