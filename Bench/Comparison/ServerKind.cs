namespace Coordinator.Bench.Comparison;

/// <summary>
/// A server implementation compare mode can start: where its binary is and the flags it gets. Both take etcd's
/// flags; the only differences are how each is told to keep its logs quiet, and that etcd needs --enable-v2 for the v2 rows.
/// </summary>
public sealed record ServerKind(string Name, string Binary, IReadOnlyList<string> ExtraFlags)
{
    /// <summary>etcd with its v2 API on (Coordinator serves it by default), for the v2 rows.</summary>
    public static ServerKind Etcd(string binary) => new("etcd", binary, ["--logger=zap", "--log-level=error", "--enable-v2"]);

    public static ServerKind Coordinator(string binary) => new("coordinator", binary, ["--log-level=warn"]);
}
