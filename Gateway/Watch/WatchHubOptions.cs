namespace Coordinator.Gateway.Watch;

/// <summary>Limits and timings of a <see cref="WatchHub"/>. Defaults follow etcd 3.4.</summary>
public sealed record WatchHubOptions
{
    /// <summary>
    /// Responses a stream may hold unread. A watch whose next response does not fit stops receiving live
    /// events and is caught up from history once the reader has drained the stream to half of this.
    /// Control responses (created, canceled, progress requested by the client) are never refused.
    /// </summary>
    public int MaxPendingResponses { get; init; } = 1024;

    /// <summary>
    /// How often a synced watch with progress_notify that sent nothing since the previous tick receives an
    /// empty response carrying the current revision (etcd's progress report interval, 10 minutes).
    /// </summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Size at which a response of a watch created with fragment=true is split. Null uses the store's
    /// MaxRequestBytes, as etcd splits at --max-request-bytes.
    /// </summary>
    public int? MaxResponseBytes { get; init; }

    /// <summary>Events read from history per catch-up step (a step never ends inside a revision).</summary>
    public int CatchUpBatchEvents { get; init; } = 1000;

    /// <summary>Fallback period of the catch-up loop when nothing wakes it (etcd's sync loop runs every 100 ms).</summary>
    public TimeSpan SyncRetryInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public static WatchHubOptions Default { get; } = new();
}
