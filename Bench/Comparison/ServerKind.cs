namespace Coordinator.Bench.Comparison;

/// <summary>
/// A server implementation compare mode can start: where its binary is and the flags it gets. Both take etcd's
/// flags; the only differences are how each is told to keep its logs quiet.
/// </summary>
public sealed record ServerKind(string Name, string Binary, IReadOnlyList<string> ExtraFlags)
{
    public static ServerKind Etcd(string binary) => new("etcd", binary, ["--logger=zap", "--log-level=error"]);

    public static ServerKind Coordinator(string binary) => new("coordinator", binary, ["--log-level=warn"]);
}
