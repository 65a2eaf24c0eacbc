namespace Coordinator.Gateway.Watch;

/// <summary>etcd 3.4's cancel_reason texts for a refused create (mvcc's errors, sent with watch_id -1).</summary>
public static class WatchCancelReasons
{
    public const string DuplicateId = "mvcc: duplicate watch ID provided on the WatchStream";
    public const string EmptyRange = "mvcc: watcher range is empty";
}
