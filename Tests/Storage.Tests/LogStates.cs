using System.Text;
using Coordinator.Grains.Raft;

namespace Coordinator.Tests.Storage;

/// <summary>Helpers to build entries and to render a whole storage as one comparable string.</summary>
public static class LogStates
{
    public static Entry E(ulong index, ulong term, string data = "") =>
        new(index, term, EntryType.Normal, Encoding.UTF8.GetBytes(data.Length == 0 ? $"e{index}t{term}" : data));

    public static Entry[] Range(ulong from, ulong to, ulong term)
    {
        var list = new List<Entry>();
        for (var i = from; i <= to; i++) list.Add(E(i, term));
        return list.ToArray();
    }

    public static Snapshot Snap(ulong index, ulong term, string data, params ulong[] voters) =>
        new(new SnapshotMetadata(index, term, Membership.OfVoters(voters)), Encoding.UTF8.GetBytes(data));

    /// <summary>HardState, snapshot (metadata and data) and every entry, in one string.</summary>
    public static string Describe(IRaftLogStorage s)
    {
        var sb = new StringBuilder();
        var snap = s.Snapshot;
        sb.Append($"hs[{s.HardState}] snap[{snap.Metadata.Index}/{snap.Metadata.Term} {snap.Metadata.Membership} {Convert.ToHexString(snap.Data.Span)}]");
        sb.Append($" first={s.FirstIndex} last={s.LastIndex}:");
        if (s.LastIndex >= s.FirstIndex)
            foreach (var e in s.Entries(s.FirstIndex, s.LastIndex + 1, long.MaxValue))
                sb.Append($" {e.Index}/{e.Term}/{e.Type}/{Convert.ToHexString(e.Data.Span)}");
        return sb.ToString();
    }
}
