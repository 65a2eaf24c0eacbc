using System.Text.Json;
using Coordinator.Silo.Configuration;

namespace Coordinator.Silo.Cluster;

/// <summary>Who this data dir belongs to: written once at bootstrap (member/identity.json), checked at
/// every start so a data dir of another member or cluster is refused.</summary>
public sealed record ClusterIdentity(ulong ClusterId, ulong MemberId, string Name, string ClusterToken)
{
    public static string PathOf(string dataDir) => Path.Combine(dataDir, "member", "identity.json");

    public static ClusterIdentity? Load(string dataDir)
    {
        var path = PathOf(dataDir);
        if (!File.Exists(path)) return null;
        try { return JsonSerializer.Deserialize<ClusterIdentity>(File.ReadAllBytes(path)); }
        catch (JsonException e) { throw new ConfigurationException($"{path} is damaged: {e.Message}"); }
    }

    public void Save(string dataDir)
    {
        var path = PathOf(dataDir);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var tmp = path + ".tmp";
        using (var f = new FileStream(tmp, FileMode.Create, FileAccess.Write))
        {
            JsonSerializer.Serialize(f, this);
            f.Flush(true);
        }
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>Refuses a data dir that belongs to another member name or (with an explicit token) another cluster.</summary>
    public void CheckMatches(CoordinatorConfig config)
    {
        if (Name != config.Name)
            throw new ConfigurationException($"data dir {config.DataDir} belongs to member '{Name}', not '{config.Name}'");
        if (config.ClusterTokenExplicit && ClusterToken != config.ClusterToken)
            throw new ConfigurationException(
                $"data dir {config.DataDir} belongs to the cluster with token '{ClusterToken}', not '{config.ClusterToken}'");
    }
}
