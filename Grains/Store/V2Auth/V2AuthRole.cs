namespace Coordinator.Grains.Store.V2Auth;

/// <summary>A v2 auth role: key patterns it may read and write (etcd's Permissions.KV). A pattern ending in '*'
/// matches every key it prefixes (without the '*'); any other pattern matches exactly that key. Null lists are
/// Go's nil slices (JSON null).</summary>
public sealed record V2AuthRole(string Name, string[]? Read, string[]? Write)
{
    /// <summary>etcd's rootRole: everything.</summary>
    public static V2AuthRole Root { get; } = new(V2AuthStore.RootName, ["/*"], ["/*"]);

    /// <summary>etcd's guestRole, created when auth is enabled without one.</summary>
    public static V2AuthRole Guest { get; } = new(V2AuthStore.GuestName, ["/*"], ["/*"]);

    /// <summary>etcd's HasKeyAccess: a pattern matches the key (root: always).</summary>
    public bool HasKeyAccess(string key, bool write) =>
        Name == V2AuthStore.RootName || (write ? Write : Read)?.Any(p => SimpleMatch(p, key)) == true;

    /// <summary>etcd's HasRecursiveAccess (recursive reads and deletes): only a '*' pattern prefixing the key counts.</summary>
    public bool HasRecursiveAccess(string key, bool write) =>
        Name == V2AuthStore.RootName || (write ? Write : Read)?.Any(p => PrefixMatch(p, key)) == true;

    // An empty pattern cannot be stored (the gateway refuses it; etcd's matcher would index past its end).
    private static bool SimpleMatch(string pattern, string key) =>
        pattern.Length > 0 && (pattern[^1] == '*' ? key.StartsWith(pattern[..^1], StringComparison.Ordinal) : key == pattern);

    private static bool PrefixMatch(string pattern, string key) =>
        pattern.Length > 0 && pattern[^1] == '*' && key.StartsWith(pattern[..^1], StringComparison.Ordinal);

    /// <summary>Go's reflect.DeepEqual on two roles.</summary>
    internal bool SameAs(V2AuthRole other) =>
        Name == other.Name && V2AuthLists.Same(Read, other.Read) && V2AuthLists.Same(Write, other.Write);
}
