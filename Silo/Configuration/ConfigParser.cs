using System.Globalization;

namespace Coordinator.Silo.Configuration;

/// <summary>Turns command-line flags and COORDINATOR_* / ETCD_* variables into a validated
/// <see cref="CoordinatorConfig"/>; every problem is one <see cref="ConfigurationException"/> line.</summary>
public static partial class ConfigParser
{
    public enum Action { Run, Help, Version }

    public static (Action Action, CoordinatorConfig? Config) Parse(string[] args, Func<string, string?> environment)
    {
        var given = new Dictionary<string, string>();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg is "--help" or "-h") return (Action.Help, null);
            if (arg == "--version") return (Action.Version, null);
            if (!arg.StartsWith("--", StringComparison.Ordinal) && !(arg.StartsWith('-') && arg.Length > 1))
                throw new ConfigurationException($"unexpected argument '{arg}' (flags look like --name=value)");
            var body = arg.TrimStart('-');
            string name, value;
            var eq = body.IndexOf('=');
            if (eq >= 0) { name = body[..eq]; value = body[(eq + 1)..]; }
            else
            {
                name = body;
                var isBoolean = CoordinatorFlags.All.FirstOrDefault(f => f.Name == name)?.IsBoolean == true;
                if (isBoolean && (i + 1 >= args.Length || args[i + 1] is not ("true" or "false"))) value = "true";
                else if (i + 1 >= args.Length) throw new ConfigurationException($"flag --{name} needs a value");
                else value = args[++i];
            }
            if (CoordinatorFlags.All.All(f => f.Name != name))
                throw new ConfigurationException($"unknown flag --{name} (see --help)");
            given[name] = value;
        }
        string? Explicit(string name)
        {
            if (given.TryGetValue(name, out var v)) return v;
            var spec = CoordinatorFlags.All.First(f => f.Name == name);
            return environment(spec.CoordinatorVariable) ?? environment(spec.EtcdVariable);
        }
        string Get(string name) => Explicit(name) ?? CoordinatorFlags.All.First(f => f.Name == name).Default;
        return (Action.Run, Build(Get, Explicit));
    }

    private static CoordinatorConfig Build(Func<string, string> get, Func<string, string?> explicitValue)
    {
        var name = get("name").Trim();
        if (name.Length == 0) throw new ConfigurationException("--name must not be empty");
        CheckOneBootstrapWay(get, explicitValue);
        var listenClient = Urls("listen-client-urls", get("listen-client-urls"));
        var listenPeer = Urls("listen-peer-urls", get("listen-peer-urls"));
        var advertiseClient = explicitValue("advertise-client-urls") is { } ac ? Urls("advertise-client-urls", ac) : listenClient;
        var advertisePeer = explicitValue("initial-advertise-peer-urls") is { } ap ? Urls("initial-advertise-peer-urls", ap) : listenPeer;
        var initialCluster = explicitValue("initial-cluster") is { } ic
            ? ParseInitialCluster(ic)
            : [(name, (IReadOnlyList<Uri>)advertisePeer)];
        var self = initialCluster.Where(m => m.Name == name).ToList();
        if (self.Count == 0)
            throw new ConfigurationException($"--initial-cluster has no member named '{name}' (the value of --name)");
        var missing = self[0].PeerUrls.Where(u => !advertisePeer.Any(a => SameUrl(a, u))).ToList();
        if (missing.Count > 0)
            throw new ConfigurationException(
                $"--initial-cluster has {name}={string.Join(",", self[0].PeerUrls)} but --initial-advertise-peer-urls is {string.Join(",", advertisePeer)}");
        var state = get("initial-cluster-state");
        if (state is not ("new" or "existing"))
            throw new ConfigurationException($"--initial-cluster-state must be 'new' or 'existing', not '{state}'");
        var heartbeat = Int("heartbeat-interval", get("heartbeat-interval"), 1, 60_000);
        var election = Int("election-timeout", get("election-timeout"), 1, 600_000);
        if (election < 5 * heartbeat)
            throw new ConfigurationException($"--election-timeout[{election}ms] should be at least 5 times --heartbeat-interval[{heartbeat}ms]");
        var mode = get("auto-compaction-mode");
        if (mode is not ("periodic" or "revision"))
            throw new ConfigurationException($"--auto-compaction-mode must be 'periodic' or 'revision', not '{mode}'");
        var retention = get("auto-compaction-retention");
        AutoCompaction.Parse(mode, retention); // validates
        var level = get("log-level");
        if (level is not ("debug" or "info" or "warn" or "error"))
            throw new ConfigurationException($"--log-level must be debug, info, warn or error, not '{level}'");
        var quota = Long("quota-backend-bytes", get("quota-backend-bytes"), 0, long.MaxValue);
        var strict = Bool("strict-reconfig-check", get("strict-reconfig-check"));
        var forceNew = Bool("force-new-cluster", get("force-new-cluster"));
        var enableV2 = Bool("enable-v2", get("enable-v2"));
        var dataDir = explicitValue("data-dir") is { Length: > 0 } dd ? dd : $"{name}.coordinator";
        var tls = BuildTls(get, explicitValue);
        CheckTlsUrls(tls, listenClient, listenPeer);
        return new CoordinatorConfig
        {
            Name = name,
            DataDir = Path.GetFullPath(dataDir),
            ListenClientUrls = listenClient,
            AdvertiseClientUrls = advertiseClient,
            ListenPeerUrls = listenPeer,
            AdvertisePeerUrls = advertisePeer,
            InitialCluster = initialCluster,
            NewCluster = state == "new",
            ClusterToken = get("initial-cluster-token"),
            ClusterTokenExplicit = explicitValue("initial-cluster-token") is not null,
            HeartbeatMs = heartbeat,
            ElectionMs = election,
            SnapshotCount = (ulong)Long("snapshot-count", get("snapshot-count"), 1, long.MaxValue),
            MaxRequestBytes = Int("max-request-bytes", get("max-request-bytes"), 1, 64 << 20),
            MaxTxnOps = Int("max-txn-ops", get("max-txn-ops"), 1, 1_000_000),
            QuotaBackendBytes = quota == 0 ? 2L << 30 : quota,
            AutoCompactionMode = mode,
            AutoCompactionRetention = retention,
            LogLevel = level,
            StrictReconfigCheck = strict,
            EnableV2 = enableV2,
            ForceNewCluster = forceNew,
            Tls = tls,
            Auth = BuildAuth(get, explicitValue),
            Discovery = BuildDiscovery(get, explicitValue),
            Silo = BuildSilo(get, advertisePeer),
        };
    }

    private static List<Uri> Urls(string flag, string value)
    {
        var urls = new List<Uri>();
        foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(part, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || url.IsDefaultPort && !part.Contains(":" + url.Port))
                throw new ConfigurationException($"--{flag}: '{part}' is not a URL like http://127.0.0.1:2379");
            urls.Add(url);
        }
        if (urls.Count == 0) throw new ConfigurationException($"--{flag} must list at least one URL");
        return urls;
    }

    private static List<(string Name, IReadOnlyList<Uri> PeerUrls)> ParseInitialCluster(string value)
    {
        var byName = new Dictionary<string, List<Uri>>();
        var order = new List<string>();
        foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=');
            if (eq <= 0) throw new ConfigurationException($"--initial-cluster: '{part}' is not name=url");
            var n = part[..eq];
            var url = Urls("initial-cluster", part[(eq + 1)..])[0];
            if (!byName.TryGetValue(n, out var list)) { byName[n] = list = []; order.Add(n); }
            list.Add(url);
        }
        var all = byName.Values.SelectMany(u => u).ToList();
        var dup = all.GroupBy(u => u.ToString()).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw new ConfigurationException($"--initial-cluster: peer URL {dup.Key} is given twice");
        if (order.Count == 0) throw new ConfigurationException("--initial-cluster is empty");
        return order.Select(n => (n, (IReadOnlyList<Uri>)byName[n])).ToList();
    }

    private static bool SameUrl(Uri a, Uri b) =>
        string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port && a.Scheme == b.Scheme;

    private static bool Bool(string flag, string value) => value switch
    {
        "true" or "1" => true,
        "false" or "0" => false,
        _ => throw new ConfigurationException($"--{flag}: '{value}' is not true or false"),
    };

    private static int Int(string flag, string value, int min, int max) => (int)Long(flag, value, min, max);

    private static long Long(string flag, string value, long min, long max)
    {
        if (!long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) || n < min || n > max)
            throw new ConfigurationException($"--{flag}: '{value}' is not a number between {min} and {max}");
        return n;
    }
}
