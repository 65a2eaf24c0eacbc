using Coordinator.Grains.Raft;
using static Coordinator.Tests.Storage.LogStates;

namespace Coordinator.Tests.Storage;

/// <summary>
/// A scripted sequence of storage writes covering appends, truncations, HardState changes, snapshots
/// (created and received) and, with a small segment size, segment rolls. Each step knows the state a crash
/// in its middle may legitimately leave: none of it, all of it, or (a Save with HardState and entries)
/// the entries without the HardState, since entries are written first.
/// </summary>
public static class CrashWorkload
{
    /// <param name="CommitOnly">A Save whose HardState only advances the commit index: acknowledged without an
    /// fsync, so a crash before the next fsync may lose it.</param>
    public sealed record Step(string Name, Action<IRaftLogStorage> Run, Action<IRaftLogStorage>? EntriesOnly = null, bool CommitOnly = false);

    private static Step Save(HardState? hs, params Entry[] entries) =>
        new($"save {hs} [{entries.FirstOrDefault()?.Index}..{entries.LastOrDefault()?.Index}]",
            s => s.Save(hs, entries),
            hs is not null && entries.Length > 0 ? s => s.Save(null, entries) : null);

    private static Step SaveCommit(ulong term, ulong vote, ulong commit) =>
        new($"save commit {commit}", s => s.Save(new HardState(term, vote, commit), []), CommitOnly: true);

    private static Step Create(ulong index, string data) =>
        new($"create snapshot {index}", s => s.CreateSnapshot(index, Membership.OfVoters(1, 2, 3), System.Text.Encoding.UTF8.GetBytes(data)));

    private static Step Apply(Snapshot snapshot) => new($"apply {snapshot}", s => s.ApplySnapshot(snapshot));

    public static readonly IReadOnlyList<Step> Steps =
    [
        Save(new HardState(1, 1, 0), Range(1, 5, 1)),
        Save(null, Range(6, 8, 1)),
        Save(new HardState(2, 2, 3), Range(6, 9, 2)),
        SaveCommit(2, 2, 7),
        SaveCommit(2, 2, 8),
        Create(5, "snapshot-five"),
        Save(null, Range(10, 14, 2)),
        Save(new HardState(3, 1, 9), Range(12, 13, 3)),
        Create(9, "snapshot-nine"),
        Save(null, Range(14, 18, 3)),
        Apply(Snap(20, 4, "from-the-leader", 1, 2, 3)),
        Save(new HardState(4, 2, 20), Range(21, 23, 4)),
        Create(22, "snapshot-twenty-two"),
        Save(null, Range(24, 26, 4)),
        SaveCommit(4, 2, 24),
        Save(new HardState(5, 3, 25), Range(26, 27, 5)),
        SaveCommit(5, 3, 26),
        Save(null, Range(28, 29, 5)),
    ];

    /// <summary>Describe() of the model after the first <paramref name="completed"/> steps, optionally followed
    /// by the entries-only half of the next step; <paramref name="wrap"/> wraps the model as the tested storage was.</summary>
    public static string ModelState(int completed, bool nextEntriesOnly = false, Func<IRaftLogStorage, IRaftLogStorage>? wrap = null)
    {
        var model = new MemoryLogStorage();
        var target = wrap?.Invoke(model) ?? model;
        for (var i = 0; i < completed; i++) Steps[i].Run(target);
        if (nextEntriesOnly) Steps[completed].EntriesOnly!(target);
        return Describe(model);
    }

    /// <summary>Every state recovery may show after a crash with <paramref name="completed"/> steps done and,
    /// when <paramref name="nextInFlight"/>, the next one under way.</summary>
    public static HashSet<string> AllowedAfterCrash(int completed, bool nextInFlight = true, Func<IRaftLogStorage, IRaftLogStorage>? wrap = null)
    {
        var allowed = new HashSet<string> { ModelState(completed, wrap: wrap) };
        // Commit-only saves acknowledged since the last fsync may be lost, newest first.
        for (var lost = completed; lost > 0 && Steps[lost - 1].CommitOnly; lost--) allowed.Add(ModelState(lost - 1, wrap: wrap));
        if (nextInFlight && completed < Steps.Count)
        {
            allowed.Add(ModelState(completed + 1, wrap: wrap));
            if (Steps[completed].EntriesOnly is not null) allowed.Add(ModelState(completed, nextEntriesOnly: true, wrap: wrap));
        }
        return allowed;
    }
}
