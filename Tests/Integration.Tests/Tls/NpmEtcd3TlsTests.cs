using System.Diagnostics;
using Xunit;

namespace Coordinator.Tests.Integration.Tls;

/// <summary>The npm etcd3 client (grpc-js) over mutual TLS (its credentials option), against us and etcd 3.4.</summary>
[Trait("Category", "Integration")]
public sealed class NpmEtcd3TlsTests : IDisposable
{
    private readonly TestCertificates _ca = new();
    private readonly string _root = Directory.CreateTempSubdirectory("coordinator-npm-tls-it-").FullName;

    [Theory]
    [InlineData(ServerKind.Coordinator)]
    [InlineData(ServerKind.Etcd)]
    public async Task Etcd3Client_OverMutualTls(ServerKind kind)
    {
        var server = _ca.Issue("server", "server");
        var client = _ca.Issue("client", "client");
        using var m = new TlsMemberProcess(kind, "m1", _root, "https", "http",
            ["--cert-file", server.CertFile, "--key-file", server.KeyFile, "--trusted-ca-file", _ca.CaFile, "--client-cert-auth"]);
        m.Start();
        using (var http = TlsHttp.Create(_ca.CaFile, client)) await m.WaitHealthyAsync(http);

        var dir = Path.Combine(RepoPaths.Root, "Tests", "Integration.Tests", "node");
        Assert.True(Directory.Exists(Path.Combine(dir, "node_modules", "etcd3")),
            $"npm etcd3 is not installed: run 'npm install' in {dir} (.ci/run does)");
        var psi = new ProcessStartInfo("node", ["etcd3-tls-check.js"])
        {
            WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        psi.Environment["ETCD_ENDPOINTS"] = m.ClientUrl;
        psi.Environment["ETCD_CA"] = _ca.CaFile;
        psi.Environment["ETCD_CERT"] = client.CertFile;
        psi.Environment["ETCD_KEY"] = client.KeyFile;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try { await p.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException) { p.Kill(true); }
        var output = await stdout + await stderr;
        Assert.True(p.HasExited && p.ExitCode == 0, output + "\n" + m.Output);
        foreach (var step in new[] { "kv", "watch", "lease" }) Assert.Contains("ok " + step, output);
    }

    public void Dispose()
    {
        _ca.Dispose();
        try { Directory.Delete(_root, recursive: true); } catch { }
    }
}
