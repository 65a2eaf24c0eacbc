namespace Coordinator.Tests.Store;

/// <summary>
/// An obviously-correct model of the store: a full copy of the key space after every revision,
/// never pruned. Compaction only moves the bound below which reads are refused.
/// </summary>
internal sealed class ReferenceModel
{
    public sealed record Kv(string Value, long Create, long Mod, long Version, long Lease);

    private readonly List<SortedDictionary<string, Kv>> _states = [new(StringComparer.Ordinal), new(StringComparer.Ordinal)];
    private readonly HashSet<long> _leases = [];

    public long Revision => _states.Count - 1; // _states[r] is the state at revision r; index 0 unused
    public long CompactRevision { get; private set; } = -1;

    private SortedDictionary<string, Kv> Current => _states[^1];

    /// <summary>The error text a request would get, or null.</summary>
    public string? Put(string key, string value, long lease)
    {
        if (lease != 0 && !_leases.Contains(lease)) return "etcdserver: requested lease not found";
        var next = new SortedDictionary<string, Kv>(Current, StringComparer.Ordinal);
        var rev = Revision + 1;
        Current.TryGetValue(key, out var prev);
        next[key] = new Kv(value, prev?.Create ?? rev, rev, (prev?.Version ?? 0) + 1, lease);
        _states.Add(next);
        return null;
    }

    public void Delete(Func<string, bool> inRange)
    {
        var victims = Current.Keys.Where(inRange).ToList();
        if (victims.Count == 0) return;
        var next = new SortedDictionary<string, Kv>(Current, StringComparer.Ordinal);
        foreach (var k in victims) next.Remove(k);
        _states.Add(next);
    }

    public long VersionOf(string key) => Current.TryGetValue(key, out var kv) ? kv.Version : 0;

    public string? Compact(long revision)
    {
        if (revision <= CompactRevision) return "etcdserver: mvcc: required revision has been compacted";
        if (revision > Revision) return "etcdserver: mvcc: required revision is a future revision";
        CompactRevision = revision;
        return null;
    }

    public string? Grant(long id)
    {
        if (!_leases.Add(id)) return "etcdserver: lease already exists";
        return null;
    }

    public string? Revoke(long id)
    {
        if (!_leases.Remove(id)) return "etcdserver: requested lease not found";
        Delete(k => Current[k].Lease == id);
        return null;
    }

    /// <summary>All keys at <paramref name="revision"/> (0 = current), or the refusal text.</summary>
    public (IReadOnlyList<(string Key, Kv Kv)>? Kvs, string? Error) ReadAll(long revision)
    {
        if (revision > Revision) return (null, "etcdserver: mvcc: required revision is a future revision");
        if (revision <= 0) revision = Revision;
        if (revision < CompactRevision) return (null, "etcdserver: mvcc: required revision has been compacted");
        return (_states[(int)revision].Select(p => (p.Key, p.Value)).ToList(), null);
    }
}
