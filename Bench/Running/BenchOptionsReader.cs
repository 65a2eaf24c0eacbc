namespace Coordinator.Bench.Running;

/// <summary>Builds <see cref="BenchOptions"/> from the command line.</summary>
public static class BenchOptionsReader
{
    /// <summary>etcdctl's --cacert, --cert, --key and --user name:password.</summary>
    public static Etcd.ClientSecurity ReadSecurity(OptionParser p)
    {
        string? File(string name) => p.Text(name, "") is { Length: > 0 } path ? path : null;
        var security = new Etcd.ClientSecurity(File("cacert"), File("cert"), File("key"));
        if (security.CertFile is null != (security.KeyFile is null)) throw new ArgumentException("--cert and --key go together");
        if (p.Text("user", "") is { Length: > 0 } user)
        {
            var (name, password) = Etcd.ClientSecurity.SplitUser(user);
            security = security with { User = name, Password = password };
        }
        return security;
    }

    public static BenchOptions Read(string workload, OptionParser p)
    {
        var d = new BenchOptions();
        var clients = p.Int("clients", d.Clients);
        return new BenchOptions
        {
            Workload = workload,
            Endpoints = p.List("endpoints", d.Endpoints),
            Clients = clients,
            Conns = p.Int("conns", d.Conns),
            Total = p.Long("total", 0),
            Duration = p.Duration("duration", d.Duration),
            Warmup = p.Duration("warmup", d.Warmup),
            KeySize = p.Int("key-size", d.KeySize),
            ValSize = p.Int("val-size", d.ValSize),
            KeySpace = p.Int("key-space", d.KeySpace),
            Rate = p.Double("rate", 0),
            Consistency = p.Text("consistency", "l") is "s" or "serializable" ? 's' : 'l',
            ReadRatio = p.Double("read-ratio", d.ReadRatio),
            Watchers = p.Int("watchers", d.Watchers),
            Leases = p.Int("leases", d.Leases),
            LockNames = p.Text("lock-names", "1") == "clients" ? clients : p.Int("lock-names", 1),
            LockVia = p.Text("lock-via", d.LockVia),
            KeyPrefix = p.Text("prefix", d.KeyPrefix),
            Json = p.Bool("json", false),
            Progress = p.Bool("progress", true),
            Seed = p.Int("seed", d.Seed),
            Security = ReadSecurity(p),
        };
    }
}
