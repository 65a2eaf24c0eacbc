using Coordinator.Client;
using Mvccpb;

namespace Coordinator.Tests.Nemesis;

/// <summary>One change as the server recorded it: every put and delete under the test's prefix, in revision order,
/// read back at the end from revision 1 (nothing is compacted during a run). The checkers' ground truth.</summary>
public sealed record ChangeEvent(bool IsDelete, string Key, string Value, long Revision, long CreateRevision, long Lease);

public sealed class ServerHistory(IReadOnlyList<ChangeEvent> events, long lastRevision)
{
    public IReadOnlyList<ChangeEvent> Events { get; } = events;
    public long LastRevision { get; } = lastRevision;

    public IEnumerable<ChangeEvent> Under(string prefix) => Events.Where(e => e.Key.StartsWith(prefix, StringComparison.Ordinal));

    public static ChangeEvent From(WatchEvent e) => new(e.Type == WatchEventType.Delete, e.Key, e.Value, e.Revision,
        e.Kv.CreateRevision, e.Kv.Lease);

    /// <summary>Reads every change under <paramref name="prefix"/> up to the current revision.</summary>
    public static async Task<ServerHistory> ReadAsync(CoordinatorClient client, string prefix, CancellationToken ct)
    {
        var last = (await client.GetPrefixAsync(prefix, ct)).Header.Revision;
        var events = new List<ChangeEvent>();
        if (last <= 1) return new ServerHistory(events, last);
        await foreach (var e in client.WatchAsync(KeyRange.Prefix(prefix), fromRevision: 1, ct: ct))
        {
            events.Add(From(e));
            if (e.Revision >= last) break;
        }
        return new ServerHistory(events, last);
    }
}
