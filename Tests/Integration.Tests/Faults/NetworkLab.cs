using System.Diagnostics;

namespace Coordinator.Tests.Integration.Faults;

/// <summary>
/// Hosts for a test, built from Linux network namespaces (needs root, iproute2 and nftables). Every host has one
/// link to a bridge that also holds an address in the test's own namespace, so the test reaches every host at all
/// times; faults block traffic between hosts only. A block is an nftables drop rule inside the hosts involved, so
/// packets vanish silently as in a real partition: TCP connections stay open, writes are buffered and
/// retransmitted, and what was queued arrives once the block is lifted. Everything is removed on dispose.
/// </summary>
public sealed class NetworkLab : IDisposable
{
    private readonly string _tag;
    private readonly int _subnet;
    private readonly Dictionary<int, string> _namespaces = new();
    private readonly List<string> _links = new();
    private readonly HashSet<(int From, int To)> _blocked = new();

    public NetworkLab()
    {
        // Short names (interface names have 15 characters), unique per lab: parallel tests and the leftovers of
        // a killed run never collide.
        _tag = Convert.ToHexString(BitConverter.GetBytes(Random.Shared.Next()))[..6].ToLowerInvariant();
        _subnet = 16 + Random.Shared.Next(200);
        Run("ip", "link", "add", Bridge, "type", "bridge");
        _links.Add(Bridge);
        Run("ip", "addr", "add", $"10.{_subnet}.1.1/24", "dev", Bridge);
        Run("ip", "link", "set", Bridge, "up");
    }

    private string Bridge => $"br{_tag}";

    /// <summary>Null when this machine can build a lab, else why not (the test then fails with that reason).</summary>
    public static string? Unavailable()
    {
        if (!OperatingSystem.IsLinux()) return "network namespaces need Linux";
        if (Environment.UserName != "root") return "network namespaces need root (CI runs as root)";
        if (!OnPath("ip")) return "iproute2 (ip) is not installed";
        return OnPath("nft") ? null : "nftables (nft) is not installed: apt-get install nftables";
    }

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/sbin:/usr/bin:/sbin:/bin").Split(':')
            .Any(dir => File.Exists(Path.Combine(dir, tool)));

    public string AddressOf(int host) => $"10.{_subnet}.1.{10 + host}";

    public string NamespaceOf(int host) => _namespaces[host];

    /// <summary>Creates host <paramref name="host"/> (1-based, up to 200): its namespace, link and drop rules.</summary>
    public (string Namespace, string Address) AddHost(int host)
    {
        var ns = $"cn{_tag}{host}";
        Run("ip", "netns", "add", ns);
        _namespaces[host] = ns;
        Run("ip", "-n", ns, "link", "set", "lo", "up");
        var outside = $"v{_tag}{host}";
        Run("ip", "link", "add", outside, "type", "veth", "peer", "name", "eth0", "netns", ns);
        _links.Add(outside);
        Run("ip", "link", "set", outside, "master", Bridge, "up");
        Run("ip", "-n", ns, "addr", "add", AddressOf(host) + "/24", "dev", "eth0");
        Run("ip", "-n", ns, "link", "set", "eth0", "up");
        Nft(host, "add table inet lab");
        Nft(host, "add set inet lab to { type ipv4_addr; }");
        Nft(host, "add set inet lab from { type ipv4_addr; }");
        Nft(host, "add chain inet lab output { type filter hook output priority 0; }");
        Nft(host, "add chain inet lab input { type filter hook input priority 0; }");
        Nft(host, "add rule inet lab output ip daddr @to drop");
        Nft(host, "add rule inet lab input ip saddr @from drop");
        return (ns, AddressOf(host));
    }

    public IReadOnlyCollection<int> Hosts => _namespaces.Keys;

    /// <summary>Drops everything <paramref name="from"/> sends to <paramref name="to"/> (one way).</summary>
    public void BlockOneWay(int from, int to)
    {
        if (from == to || !_blocked.Add((from, to))) return;
        Nft(from, $"add element inet lab to {{ {AddressOf(to)} }}");
        Nft(to, $"add element inet lab from {{ {AddressOf(from)} }}");
    }

    public void Block(int a, int b)
    {
        BlockOneWay(a, b);
        BlockOneWay(b, a);
    }

    /// <summary>No traffic between the two sides (each side still talks within itself).</summary>
    public void Partition(IEnumerable<int> side, IEnumerable<int> rest)
    {
        var others = rest.ToList();
        foreach (var a in side)
            foreach (var b in others) Block(a, b);
    }

    /// <summary>Cuts <paramref name="host"/> off from every other host (clients still reach it).</summary>
    public void Isolate(int host) => Partition([host], _namespaces.Keys.Where(h => h != host));

    /// <summary>Lifts every block that involves <paramref name="host"/>.</summary>
    public void Reconnect(int host)
    {
        foreach (var (from, to) in _blocked.Where(b => b.From == host || b.To == host).ToList()) Unblock(from, to);
    }

    /// <summary>Lifts every block.</summary>
    public void Heal()
    {
        foreach (var (from, to) in _blocked.ToList()) Unblock(from, to);
    }

    public int BlockedLinks => _blocked.Count;

    private void Unblock(int from, int to)
    {
        if (!_blocked.Remove((from, to))) return;
        Nft(from, $"delete element inet lab to {{ {AddressOf(to)} }}");
        Nft(to, $"delete element inet lab from {{ {AddressOf(from)} }}");
    }

    private void Nft(int host, string command) => Run(["ip", "netns", "exec", _namespaces[host], "nft", .. command.Split(' ')]);

    private static void Run(params string[] args)
    {
        var psi = new ProcessStartInfo(args[0]) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args.Skip(1)) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{string.Join(' ', args)} failed ({p.ExitCode}): {error.Trim()}");
    }

    private static void TryRun(params string[] args)
    {
        try { Run(args); } catch (InvalidOperationException) { }
    }

    public void Dispose()
    {
        foreach (var ns in _namespaces.Values) TryRun("ip", "netns", "del", ns);
        foreach (var link in _links) TryRun("ip", "link", "del", link);
    }
}
