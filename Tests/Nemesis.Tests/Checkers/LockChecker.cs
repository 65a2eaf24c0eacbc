namespace Coordinator.Tests.Nemesis;

/// <summary>A counter guarded by a lock and fenced by the holder's token ("count token" values): in the server's
/// history every write is the previous count + 1 (no update lost or repeated) with a token greater than the last
/// writer's (holders follow one another, never overlap), and every acknowledged increment is there.</summary>
public static class LockChecker
{
    public static IReadOnlyList<string> Check(IReadOnlyList<ChangeEvent> counterWrites, IEnumerable<(string Value, long Revision)> acknowledged)
    {
        var anomalies = new List<string>();
        long previousCount = 0, previousToken = 0;
        foreach (var w in counterWrites)
        {
            var parts = w.Value.Split(' ');
            if (parts.Length != 2 || !long.TryParse(parts[0], out var count) || !long.TryParse(parts[1], out var token))
            {
                anomalies.Add($"lock counter holds a value nobody wrote: {w}");
                continue;
            }
            if (count != previousCount + 1) anomalies.Add($"lock counter went {previousCount} -> {count} at {w.Revision}: an update lost or repeated");
            if (token <= previousToken) anomalies.Add($"lock token did not increase {previousToken} -> {token} at {w.Revision}: two holders at once");
            previousCount = count;
            previousToken = token;
        }
        var applied = counterWrites.Select(w => (w.Value, w.Revision)).ToHashSet();
        foreach (var a in acknowledged)
            if (!applied.Contains(a)) anomalies.Add($"acknowledged increment {a.Value} at {a.Revision} is not in the history");
        if (counterWrites.Count == 0) anomalies.Add("the counter was never incremented");
        return anomalies;
    }
}
