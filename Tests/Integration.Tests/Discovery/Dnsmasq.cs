using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;

namespace Coordinator.Tests.Integration.Discovery;

/// <summary>
/// A real DNS server for one test: Debian's dnsmasq in the foreground on port 53 of a loopback address of its own
/// (127.53.x.y, so parallel tests never meet), answering only the records given (--no-resolv, --no-hosts; names
/// under .test that it does not know are NXDOMAIN). Port 53 because Go's resolver (etcdctl, etcd) can only be
/// pointed at a server through /etc/resolv.conf; see <see cref="ResolvConf"/>. Killed on dispose.
/// </summary>
internal sealed class Dnsmasq : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("coordinator-dns-").FullName;

    /// <param name="records">dnsmasq options without the dashes, e.g. "srv-host=_etcd-server._tcp.example.test,localhost,2380".</param>
    public Dnsmasq(IEnumerable<string> records, string? address = null)
    {
        Address = address ?? $"127.53.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}";
        var psi = new ProcessStartInfo("/usr/sbin/dnsmasq") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[]
                 {
                     "--keep-in-foreground", "--conf-file=/dev/null", "--no-resolv", "--no-hosts",
                     "--bind-interfaces", "--listen-address=" + Address, "--port=53", "--user=root", "--pid-file=",
                     "--local=/test/", "--log-facility=-", "--log-queries",
                 })
            psi.ArgumentList.Add(a);
        foreach (var r in records) psi.ArgumentList.Add("--" + r);
        _process = Process.Start(psi) ?? throw new InvalidOperationException("dnsmasq is not installed (apt-get install dnsmasq-base)");
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        WaitListening();
        ResolvConf = Path.Combine(_dir, "resolv.conf");
        File.WriteAllText(ResolvConf, $"nameserver {Address}\noptions timeout:2 attempts:1\n");
    }

    public string Address { get; }

    /// <summary>"ip:53", for our --dns-server flag and the client's DnsServer option.</summary>
    public string Server => Address + ":53";

    /// <summary>A resolv.conf naming only this server (bind-mounted over /etc/resolv.conf in a private mount namespace).</summary>
    public string ResolvConf { get; }

    public string Output => string.Join("\n", _output);

    private void WaitListening()
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException("dnsmasq exited:\n" + Output);
            try
            {
                using var tcp = new TcpClient();
                tcp.Connect(Address, 53);
                return;
            }
            catch (SocketException) { Thread.Sleep(50); }
        }
        throw new TimeoutException("dnsmasq did not listen:\n" + Output);
    }

    /// <summary>A process whose /etc/resolv.conf names only this server: `unshare -m` (a private mount namespace)
    /// with the file bind-mounted, then the program. Needs root (CI runs as root).</summary>
    public ProcessStartInfo WithResolver(string program, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo("unshare") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "--mount", "--propagation", "private", "sh", "-c", "mount --bind \"$0\" /etc/resolv.conf && exec \"$@\"", ResolvConf, program })
            psi.ArgumentList.Add(a);
        foreach (var a in args) psi.ArgumentList.Add(a);
        return psi;
    }

    public void Dispose()
    {
        if (!_process.HasExited) { _process.Kill(); _process.WaitForExit(5000); }
        _process.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch { }
    }
}
