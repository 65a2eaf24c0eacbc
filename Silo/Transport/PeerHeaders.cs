using System.Globalization;

namespace Coordinator.Silo.Transport;

/// <summary>Identity headers carried by every peer request. Ids are lower-case hex, like etcd's member ids.</summary>
public static class PeerHeaders
{
    public const string ClusterId = "X-Coordinator-Cluster-Id";
    public const string From = "X-Coordinator-From";
    public const string To = "X-Coordinator-To";

    public static string FormatId(ulong id) => id.ToString("x", CultureInfo.InvariantCulture);

    public static bool TryParseId(string? text, out ulong id) =>
        ulong.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out id);
}
