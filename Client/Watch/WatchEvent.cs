using Mvccpb;

namespace Coordinator.Client;

public enum WatchEventType
{
    Put,
    Delete,
}

/// <summary>One change delivered by <see cref="CoordinatorClient.WatchAsync"/>. <see cref="Kv"/> is the key after
/// the change (for a delete: key and the delete's revision only); <see cref="PrevKv"/> is set when asked for.</summary>
public sealed record WatchEvent(WatchEventType Type, KeyValue Kv, KeyValue? PrevKv)
{
    /// <summary>The revision of the change (several events of one transaction share it).</summary>
    public long Revision => Kv.ModRevision;

    public string Key => Kv.Key.ToStringUtf8();

    public string Value => Kv.Value.ToStringUtf8();

    internal static WatchEvent From(Event e) =>
        new(e.Type == Event.Types.EventType.Delete ? WatchEventType.Delete : WatchEventType.Put, e.Kv, e.PrevKv);

    public override string ToString() => $"{Type} {Key}@{Revision}";
}
