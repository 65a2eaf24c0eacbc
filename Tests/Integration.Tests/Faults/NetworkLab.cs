using System.Diagnostics;

namespace Coordinator.Tests.Integration.Faults;

/// <summary>
/// Hosts for a test, built from Linux network namespaces (needs root and iproute2). Each host has two links:
/// one to a client bridge that also holds an address in the test's own namespace (so the test reaches every
/// host), and one to a peer bridge that carries member-to-member traffic only. Cutting a host's peer link
/// (its bridge port down) drops its peer packets silently, as a real partition does: TCP connections stay
/// open, writes are buffered and retransmitted, and everything queued arrives once the link is back.
/// Everything is removed on dispose.
/// </summary>
internal sealed class NetworkLab : IDisposable
{
    private readonly string _tag;
    private readonly int _subnet;
    private readonly List<string> _namespaces = new();
    private readonly List<string> _links = new();

    public NetworkLab()
    {
        // Names are short (interface names have 15 characters) and unique per lab, so parallel tests and
        // leftovers of a killed run never collide.
        _tag = Convert.ToHexString(BitConverter.GetBytes(Random.Shared.Next()))[..6].ToLowerInvariant();
        _subnet = 16 + Random.Shared.Next(200);
        Run("ip", "link", "add", ClientBridge, "type", "bridge");
        _links.Add(ClientBridge);
        Run("ip", "link", "add", PeerBridge, "type", "bridge");
        _links.Add(PeerBridge);
        Run("ip", "addr", "add", $"10.{_subnet}.1.1/24", "dev", ClientBridge);
        Run("ip", "link", "set", ClientBridge, "up");
        Run("ip", "link", "set", PeerBridge, "up");
    }

    private string ClientBridge => $"cb{_tag}";
    private string PeerBridge => $"pb{_tag}";
    private string PeerPort(int host) => $"p{_tag}{host}";

    public static string? Unavailable()
    {
        if (!OperatingSystem.IsLinux()) return "network namespaces need Linux";
        if (Environment.UserName != "root") return "network namespaces need root (CI runs as root)";
        return File.Exists("/usr/bin/ip") || File.Exists("/sbin/ip") || File.Exists("/usr/sbin/ip") ? null : "iproute2 (ip) is not installed";
    }

    /// <summary>Creates host <paramref name="host"/> (1-based): its namespace and both links.</summary>
    public (string Namespace, string ClientAddress, string PeerAddress) AddHost(int host)
    {
        var ns = $"cn{_tag}{host}";
        Run("ip", "netns", "add", ns);
        _namespaces.Add(ns);
        Run("ip", "-n", ns, "link", "set", "lo", "up");
        var clientAddress = $"10.{_subnet}.1.{10 + host}";
        var peerAddress = $"10.{_subnet}.2.{10 + host}";
        Attach(ns, $"c{_tag}{host}", ClientBridge, "eth0", clientAddress);
        Attach(ns, PeerPort(host), PeerBridge, "eth1", peerAddress);
        return (ns, clientAddress, peerAddress);
    }

    private void Attach(string ns, string outside, string bridge, string inside, string address)
    {
        Run("ip", "link", "add", outside, "type", "veth", "peer", "name", inside, "netns", ns);
        _links.Add(outside);
        Run("ip", "link", "set", outside, "master", bridge, "up");
        Run("ip", "-n", ns, "addr", "add", address + "/24", "dev", inside);
        Run("ip", "-n", ns, "link", "set", inside, "up");
    }

    /// <summary>Cuts <paramref name="host"/> off from every other host's peer traffic (clients still reach it).</summary>
    public void CutPeerLink(int host) => Run("ip", "link", "set", PeerPort(host), "down");

    public void RestorePeerLink(int host) => Run("ip", "link", "set", PeerPort(host), "up");

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
        foreach (var ns in _namespaces) TryRun("ip", "netns", "del", ns);
        foreach (var link in _links) TryRun("ip", "link", "del", link);
    }
}
