namespace Coordinator.Grains.Store.V2Auth;

/// <summary>String lists as etcd's v2 auth treats them: Go's sort.Strings order (bytes; ordinal on UTF-16 differs
/// only past U+D7FF, which no sane name or path uses) and reflect.DeepEqual (nil is not empty, order counts).</summary>
internal static class V2AuthLists
{
    public static bool Same(string[]? a, string[]? b) => a is null ? b is null : b is not null && a.SequenceEqual(b, StringComparer.Ordinal);

    /// <summary>etcd's unsafeSet(...).Values() sorted: distinct, sorted, never null.</summary>
    public static string[] SortedSet(IEnumerable<string> values) => values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
}
