namespace Coordinator.Grains.Store;

/// <summary>A request the store refuses, with the gRPC status and etcd's exact message text.</summary>
public sealed class StoreException(StatusCode code, string message) : Exception(message)
{
    public StatusCode Code { get; } = code;

    public override string ToString() => $"{Code} ({(int)Code}): {Message}";
}
