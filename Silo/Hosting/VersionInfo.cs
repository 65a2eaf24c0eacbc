namespace Coordinator.Silo.Hosting;

/// <summary>The versions we report: etcd's API level (clients check it) and our own build.</summary>
public static class VersionInfo
{
    public const string ServerVersion = "3.4.0";
    public const string ClusterVersion = "3.4.0";
    public static string Coordinator => typeof(VersionInfo).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
