namespace Coordinator.Silo.Configuration;

/// <summary>One command-line flag, named as etcd names it. Also read from COORDINATOR_NAME and ETCD_NAME
/// (upper case, dashes as underscores); a flag on the command line wins over the environment.</summary>
internal sealed record FlagSpec(string Name, string Default, string Help, bool IsBoolean = false)
{
    public string CoordinatorVariable => "COORDINATOR_" + Name.ToUpperInvariant().Replace('-', '_');
    public string EtcdVariable => "ETCD_" + Name.ToUpperInvariant().Replace('-', '_');
}
