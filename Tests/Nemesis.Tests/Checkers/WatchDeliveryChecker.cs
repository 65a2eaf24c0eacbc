namespace Coordinator.Tests.Nemesis;

/// <summary>A watcher from revision 1 must deliver exactly the server's history up to its last revision: every
/// change once, in revision order, without gaps — and all of it, once the run is over.</summary>
public static class WatchDeliveryChecker
{
    public static IReadOnlyList<string> Check(string watcher, IReadOnlyList<ChangeEvent> delivered, ServerHistory history)
    {
        var anomalies = new List<string>();
        var expected = history.Events;
        var upTo = delivered.TakeWhile(e => e.Revision <= history.LastRevision).ToList();
        for (var i = 0; i < upTo.Count; i++)
        {
            if (i < expected.Count && upTo[i] == expected[i]) continue;
            anomalies.Add($"{watcher}: event {i} is {upTo[i]}, the history has {(i < expected.Count ? expected[i].ToString() : "nothing")}" +
                          (i > 0 ? $" (after {upTo[i - 1]})" : ""));
            return anomalies;
        }
        if (upTo.Count < expected.Count)
            anomalies.Add($"{watcher} delivered {upTo.Count} of {expected.Count} changes (last: {upTo.LastOrDefault()?.ToString() ?? "none"})");
        return anomalies;
    }
}
