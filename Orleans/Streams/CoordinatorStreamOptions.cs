namespace Coordinator.Orleans.Streams;

/// <summary>Options of one watch-backed stream provider. Each key prefix in <see cref="Prefixes"/> is one stream,
/// <c>StreamId.Create(Namespace, prefix)</c>, carrying every change under it as a <see cref="KeyChange"/>.
/// Delivery checkpoints live at <c>{RootPrefix}/{ServiceId}/streams/{provider}/checkpoints/{prefix}</c>.</summary>
public sealed class CoordinatorStreamOptions : CoordinatorProviderOptions
{
    /// <summary>The watched key prefixes (for example "/config/myapp/"), one stream each.</summary>
    public List<string> Prefixes { get; set; } = new();

    /// <summary>The stream namespace of every watched prefix (what an implicit subscription names).</summary>
    public string Namespace { get; set; } = "coordinator-keys";

    /// <summary>Queues the prefixes are spread over; each queue is read by one silo at a time.</summary>
    public int QueueCount { get; set; } = 4;

    /// <summary>Changes a silo keeps for its consumers before they are checkpointed and dropped.</summary>
    public int CacheSize { get; set; } = 4096;

    /// <summary>Delay before a watch that failed (server unreachable) is started again.</summary>
    public TimeSpan WatchRetryDelay { get; set; } = TimeSpan.FromSeconds(1);
}
