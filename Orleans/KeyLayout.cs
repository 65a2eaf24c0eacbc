using System.Text;

namespace Coordinator.Orleans;

/// <summary>Builds the providers' keys: <c>{root}/{id}/{area}/{segment}/...</c>. Every variable segment is
/// percent-encoded (<see cref="Uri.EscapeDataString(string)"/>), so a '/' in a grain id, a reminder name or a
/// stream prefix can never make one key a prefix of another's subtree.</summary>
internal static class KeyLayout
{
    /// <summary>The root without trailing slashes ("/orleans/" and "/orleans" are the same root).</summary>
    public static string Root(string rootPrefix)
    {
        var root = rootPrefix.TrimEnd('/');
        return root;
    }

    public static string Escape(string segment) => Uri.EscapeDataString(segment);

    public static string Unescape(string segment) => Uri.UnescapeDataString(segment);

    /// <summary><c>{root}/{escaped id}/{area}/</c>: the subtree one provider owns for one cluster or service.</summary>
    public static string Area(string rootPrefix, string id, string area) => $"{Root(rootPrefix)}/{Escape(id)}/{area}/";

    public static byte[] Utf8(string key) => Encoding.UTF8.GetBytes(key);
}
