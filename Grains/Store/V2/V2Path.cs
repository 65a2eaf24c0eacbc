using System.Text;

namespace Coordinator.Grains.Store.V2;

/// <summary>Slash-separated paths of the v2 tree, cleaned as Go's path.Clean does (etcd cleans every key).</summary>
public static class V2Path
{
    /// <summary>Go's path.Clean(path.Join("/", p)): absolute, no empty, "." or ".." elements, no trailing slash.</summary>
    public static string Clean(string p)
    {
        var parts = new List<string>();
        foreach (var part in p.Split('/'))
        {
            if (part.Length == 0 || part == ".") continue;
            if (part == "..") { if (parts.Count > 0) parts.RemoveAt(parts.Count - 1); continue; }
            parts.Add(part);
        }
        if (parts.Count == 0) return "/";
        var builder = new StringBuilder(p.Length + 1);
        foreach (var part in parts) builder.Append('/').Append(part);
        return builder.ToString();
    }

    /// <summary>Parent directory of a clean path ("/" for top-level nodes and for the root).</summary>
    public static string Parent(string clean)
    {
        var slash = clean.LastIndexOf('/');
        return slash <= 0 ? "/" : clean[..slash];
    }

    public static string Name(string clean) => clean[(clean.LastIndexOf('/') + 1)..];

    public static string Join(string dir, string name) => dir == "/" ? "/" + name : dir + "/" + name;

    /// <summary>The path's elements ("/a/b" → a, b; the root has none).</summary>
    public static string[] Elements(string clean) => clean == "/" ? [] : clean[1..].Split('/');
}
