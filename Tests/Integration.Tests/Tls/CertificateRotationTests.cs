using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Xunit;

namespace Coordinator.Tests.Integration.Tls;

/// <summary>Certificate files are read again when they change, without a restart: new connections get the new
/// certificate, and clients keep working.</summary>
[Trait("Category", "Integration")]
public sealed class CertificateRotationTests : IDisposable
{
    private readonly TestCertificates _ca = new();
    private readonly string _root = Directory.CreateTempSubdirectory("coordinator-rotation-it-").FullName;

    [Fact]
    public async Task RotatedServerCertificate_IsUsedByNewConnections()
    {
        var first = _ca.Issue("first", "first");
        var second = _ca.Issue("second", "second");
        var client = _ca.Issue("client", "client");
        var live = Directory.CreateDirectory(Path.Combine(_root, "live")).FullName;
        var certFile = Path.Combine(live, "server.pem");
        var keyFile = Path.Combine(live, "server.key");
        File.Copy(first.CertFile, certFile);
        File.Copy(first.KeyFile, keyFile);
        using var m = new TlsMemberProcess(ServerKind.Coordinator, "m1", _root, "https", "http",
            ["--cert-file", certFile, "--key-file", keyFile, "--trusted-ca-file", _ca.CaFile, "--client-cert-auth"]);
        m.Start();
        using (var http = TlsHttp.Create(_ca.CaFile, client)) await m.WaitHealthyAsync(http);
        Assert.Equal(TestCertificates.Serial(first.CertFile), await ServedSerialAsync(m.ClientPort, client));

        // Rotation as tools do it: write the new files next to the old ones, then rename over them.
        File.Copy(second.CertFile, certFile + ".new");
        File.Copy(second.KeyFile, keyFile + ".new");
        File.Move(keyFile + ".new", keyFile, overwrite: true);
        File.Move(certFile + ".new", certFile, overwrite: true);

        Assert.Equal(TestCertificates.Serial(second.CertFile), await ServedSerialAsync(m.ClientPort, client));
        var put = await TlsEtcdctl.RunAsync(m.ClientUrl, _ca.CaFile, client, "put", "after-rotation", "ok");
        Assert.True(put.ExitCode == 0, put + "\n" + m.Output);

        // A broken file (half written) keeps the last good certificate in use.
        File.WriteAllText(certFile, "-----BEGIN CERTIFICATE-----\nbroken\n");
        Assert.Equal(TestCertificates.Serial(second.CertFile), await ServedSerialAsync(m.ClientPort, client));
        // The warning reaches the member's output asynchronously (its logger, then the pipe).
        for (var i = 0; i < 100 && !m.Output.Contains("cannot reload"); i++) await Task.Delay(100);
        Assert.Contains("cannot reload", m.Output);
    }

    /// <summary>Opens a new TLS connection and returns the serial of the certificate the server presented.</summary>
    private async Task<string> ServedSerialAsync(int port, TestCertificates.Pair client)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        X509Certificate2? served = null;
        var certificate = X509Certificate2.CreateFromPemFile(client.CertFile, client.KeyFile);
        await using var tls = new SslStream(tcp.GetStream());
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "127.0.0.1",
            ApplicationProtocols = [SslApplicationProtocol.Http11],
            LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate,
            RemoteCertificateValidationCallback = (_, presented, _, _) =>
            {
                served = new X509Certificate2(presented!);
                return true;
            },
        });
        return served!.SerialNumber.ToLowerInvariant().TrimStart('0');
    }

    public void Dispose()
    {
        _ca.Dispose();
        try { Directory.Delete(_root, recursive: true); } catch { }
    }
}
