namespace Coordinator.Tests.Nemesis;

/// <summary>A multi-key transaction as the test saw it: a write of one value to every key (succeeded: its compare
/// held) or a read of every key.</summary>
public sealed record TxnObservation(bool IsWrite, string? Value, bool Ok, bool Succeeded, long Revision, IReadOnlyList<string?> Read);

/// <summary>Transactions are atomic: each write's puts are all in the history, at one revision, once; a failed
/// compare wrote nothing; every acknowledged write is there at its revision; every read saw one write whole (all
/// keys equal) and a value somebody wrote.</summary>
public static class TxnAtomicityChecker
{
    public static IReadOnlyList<string> Check(IReadOnlyList<ChangeEvent> puts, int keysPerWrite, IReadOnlyList<TxnObservation> ops)
    {
        var anomalies = new List<string>();
        var writes = ops.Where(o => o.IsWrite).ToDictionary(o => o.Value!);
        foreach (var group in puts.GroupBy(e => e.Value))
        {
            if (group.Select(e => e.Revision).Distinct().Count() != 1 || group.Count() != keysPerWrite)
                anomalies.Add($"txn write {group.Key} not applied whole and once: {string.Join(" ", group.Select(e => $"{e.Key}@{e.Revision}"))}");
            if (!writes.TryGetValue(group.Key, out var writer)) anomalies.Add($"txn value applied but never written: {group.Key}");
            else if (writer.Ok && !writer.Succeeded) anomalies.Add($"txn write applied although its compare failed: {writer}");
        }
        var appliedAt = puts.GroupBy(e => e.Value).ToDictionary(g => g.Key, g => g.First().Revision);
        foreach (var w in ops.Where(o => o.IsWrite && o.Ok && o.Succeeded))
            if (!appliedAt.TryGetValue(w.Value!, out var rev) || rev != w.Revision)
                anomalies.Add($"acknowledged txn write missing at its revision: {w}");
        foreach (var r in ops.Where(o => !o.IsWrite && o.Ok))
        {
            if (r.Read.Distinct().Count() != 1) anomalies.Add($"txn read saw a partial write: [{string.Join(",", r.Read)}] at {r.Revision}");
            else if (r.Read[0] is { } v && !writes.ContainsKey(v)) anomalies.Add($"txn read a value never written: {v}");
        }
        return anomalies;
    }
}
