namespace Coordinator.Tests.Nemesis;

/// <summary>A campaign's answer: its candidacy key, the revision that created it (the Campaign response header,
/// as etcd's), and the revision of its proclamation if it made one.</summary>
public sealed record ElectionTerm(string Key, long CreatedAt, long? ProclaimedAt);

/// <summary>One leader at a time: every candidacy a campaign answered with was created at that revision, and at the
/// revision of a proclamation (made right after the campaign returned) the proclaiming candidacy is the oldest
/// live one — a campaign never returns while an older candidacy still leads.</summary>
public static class ElectionChecker
{
    public static IReadOnlyList<string> Check(IReadOnlyList<ChangeEvent> electionEvents, IEnumerable<ElectionTerm> terms)
    {
        var anomalies = new List<string>();
        var created = electionEvents.Where(e => !e.IsDelete && e.Revision == e.CreateRevision).Select(e => (e.Key, e.Revision)).ToHashSet();
        var proclaimed = 0;
        foreach (var t in terms)
        {
            if (!created.Contains((t.Key, t.CreatedAt))) anomalies.Add($"campaign answered with a candidacy the history never created: {t}");
            if (t.ProclaimedAt is not { } at) continue;
            proclaimed++;
            var live = LiveAt(electionEvents, at);
            if (!live.ContainsKey(t.Key)) anomalies.Add($"proclaimed without a live candidacy: {t}");
            else if (live.MinBy(p => p.Value) is var oldest && oldest.Key != t.Key)
                anomalies.Add($"proclaimed at {at} while {oldest.Key} (created {oldest.Value}) still led: {t}");
        }
        if (proclaimed == 0) anomalies.Add("nobody was ever elected and proclaimed");
        return anomalies;
    }

    /// <summary>Live candidacies (key → create revision) at <paramref name="revision"/>.</summary>
    private static Dictionary<string, long> LiveAt(IReadOnlyList<ChangeEvent> events, long revision)
    {
        var live = new Dictionary<string, long>();
        foreach (var e in events)
        {
            if (e.Revision > revision) break;
            if (e.IsDelete) live.Remove(e.Key);
            else live[e.Key] = e.CreateRevision;
        }
        return live;
    }
}
