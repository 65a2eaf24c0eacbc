namespace Coordinator.Tests.Integration.Faults;

/// <summary>
/// Checks a register history against the server's own record of applied writes (every put event since
/// revision 1, in revision order). Values are unique per write, so the applied record shows exactly which
/// operation took effect where. Reports, one line each:
/// - a write applied more than once (at-most-once);
/// - an applied value nobody wrote, or a CAS applied although it answered "compare failed";
/// - an acknowledged write missing at the revision it was acknowledged with;
/// - a read older than a write acknowledged, or a read completed, before it was invoked;
/// - a read whose value is not the write at its mod_revision; a successful CAS whose predecessor is not the
///   value it compared with.
/// </summary>
public static class RegisterChecker
{
    public static IReadOnlyList<string> Check(IReadOnlyList<Operation> ops, IReadOnlyList<AppliedWrite> applied)
    {
        var anomalies = new List<string>();
        var writers = ops.Where(o => o.Kind != OpKind.Get && o.Value is not null).ToDictionary(o => o.Value!);

        foreach (var group in applied.GroupBy(w => w.Value).Where(g => g.Count() > 1))
            anomalies.Add($"applied {group.Count()} times: {group.Key} at revisions {string.Join(",", group.Select(w => w.Revision))} " +
                          $"(by {(writers.TryGetValue(group.Key, out var op) ? op : "nobody")})");

        var byRevision = new Dictionary<long, AppliedWrite>();
        foreach (var w in applied)
        {
            byRevision.TryAdd(w.Revision, w);
            if (!writers.TryGetValue(w.Value, out var writer)) anomalies.Add($"applied but never written: {w}");
            else if (writer.Kind == OpKind.Cas && writer.Outcome == OpOutcome.Ok && !writer.Succeeded)
                anomalies.Add($"applied although its compare failed: {writer} at {w.Revision}");
        }

        foreach (var op in ops.Where(o => o.Outcome == OpOutcome.Ok && o.Kind != OpKind.Get && (o.Kind == OpKind.Put || o.Succeeded)))
            if (!byRevision.TryGetValue(op.Revision, out var w) || w.Value != op.Value || w.Key != op.Key)
                anomalies.Add($"acknowledged write not applied at its revision: {op} (found {(w is null ? "nothing" : w.ToString())})");

        foreach (var keyOps in ops.Where(o => o.Outcome == OpOutcome.Ok).GroupBy(o => o.Key))
        {
            var done = keyOps.OrderBy(o => o.CompletedTicks).ToList();
            var writesDone = done.Where(o => o.Kind != OpKind.Get && (o.Kind == OpKind.Put || o.Succeeded)).ToList();
            var readsDone = done.Where(o => o.Kind == OpKind.Get).ToList();
            foreach (var read in readsDone)
            {
                var newestWrite = writesDone.Where(w => w.CompletedTicks < read.InvokedTicks).MaxBy(w => w.Revision);
                if (newestWrite is not null && read.Revision < newestWrite.Revision)
                    anomalies.Add($"stale read: {read} after acknowledged {newestWrite}");
                var newestRead = readsDone.Where(r => r.CompletedTicks < read.InvokedTicks).MaxBy(r => r.Revision);
                if (newestRead is not null && read.Revision < newestRead.Revision)
                    anomalies.Add($"read went back in time: {read} after {newestRead}");
                if (read.Revision > 0 && (!byRevision.TryGetValue(read.Revision, out var w) || w.Value != read.ReadValue))
                    anomalies.Add($"read a value that is not the write at its revision: {read} (found {(w is null ? "nothing" : w.ToString())})");
            }
        }

        foreach (var cas in ops.Where(o => o.Kind == OpKind.Cas && o.Outcome == OpOutcome.Ok && o.Succeeded))
        {
            var before = applied.Where(w => w.Key == cas.Key && w.Revision < cas.Revision).MaxBy(w => w.Revision);
            if (before?.Value != cas.Expected)
                anomalies.Add($"CAS succeeded over another value: {cas} over {(before is null ? "nothing" : before.ToString())}");
        }
        return anomalies;
    }
}
