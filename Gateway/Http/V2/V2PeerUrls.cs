namespace Coordinator.Gateway.Http.V2;

/// <summary>etcd's types.NewURLs checks for the peerURLs of a v2 member request, with its error texts.</summary>
internal static class V2PeerUrls
{
    /// <summary>The URLs sorted as etcd sorts them, or the text of the first problem.</summary>
    public static (List<string>? Urls, string? Error) Parse(IReadOnlyList<string>? texts)
    {
        if (texts is null || texts.Count == 0) return (null, "no valid URLs given");
        var urls = new List<string>();
        foreach (var text in texts)
        {
            var trimmed = text.Trim();
            if (!Uri.TryCreate(trimmed, UriKind.Absolute, out var url)) return (null, $"parse {GoQuoteIfNeeded(trimmed)}: invalid URI for request");
            if (url.Scheme is not ("http" or "https" or "unix" or "unixs"))
                return (null, "URL scheme must be http, https, unix, or unixs: " + trimmed);
            var authority = trimmed[(url.Scheme.Length + 3)..];
            var slash = authority.IndexOf('/');
            var hostPort = slash < 0 ? authority : authority[..slash];
            if (url.IsDefaultPort && !hostPort.Contains(':'))
                return (null, $"URL address does not have the form \"host:port\": {trimmed}");
            if (slash >= 0) return (null, "URL must not contain a path: " + trimmed);
            urls.Add(trimmed);
        }
        urls.Sort(StringComparer.Ordinal);
        return (urls, null);
    }

    private static string GoQuoteIfNeeded(string s) => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
