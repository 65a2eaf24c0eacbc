using Xunit;

namespace Coordinator.Tests.Integration.Tls;

/// <summary>Bad TLS settings stop the member at start with etcd 3.4's own error text (checked against etcd itself).</summary>
[Trait("Category", "Integration")]
public sealed class TlsFlagErrorTests : IDisposable
{
    private readonly TestCertificates _ca = new();
    private readonly string _root = Directory.CreateTempSubdirectory("coordinator-tls-flags-it-").FullName;

    public static TheoryData<ServerKind, string> Cases()
    {
        var data = new TheoryData<ServerKind, string>();
        foreach (var kind in new[] { ServerKind.Coordinator, ServerKind.Etcd })
            foreach (var c in new[] { "client-https-without-certs", "peer-https-without-certs", "unknown-cipher-suite", "allowed-cn-and-hostname" })
                data.Add(kind, c);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task BadTlsSettings_StopTheMember_WithEtcdsText(ServerKind kind, string scenario)
    {
        var server = _ca.Issue("server", "server");
        string[] certs = ["--cert-file", server.CertFile, "--key-file", server.KeyFile];
        string[] peerCerts = ["--peer-cert-file", server.CertFile, "--peer-key-file", server.KeyFile];
        var ports = FreePorts.Take(2);
        var (clientScheme, peerScheme, args, expected) = scenario switch
        {
            "client-https-without-certs" => ("https", "http", Array.Empty<string>(),
                $"TLS key/cert (--cert-file, --key-file) must be provided for client url https://127.0.0.1:{ports[0]} with HTTPS scheme"),
            "peer-https-without-certs" => ("http", "https", [],
                $"cannot listen on TLS for 127.0.0.1:{ports[1]}: KeyFile and CertFile are not presented"),
            "unknown-cipher-suite" => ("https", "http", [.. certs, "--cipher-suites", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_BOGUS"],
                "unexpected TLS cipher suite \"TLS_BOGUS\""),
            "allowed-cn-and-hostname" => ("http", "https", [.. peerCerts, "--peer-cert-allowed-cn", "a", "--peer-cert-allowed-hostname", "b"],
                "AllowedCN and AllowedHostname are mutually exclusive (cn=\"a\", hostname=\"b\")"),
            _ => throw new ArgumentOutOfRangeException(nameof(scenario)),
        };
        using var m = new TlsMemberProcess(kind, "m1", _root, clientScheme, peerScheme, args, ports);
        m.Start();
        var output = await m.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.True(m.ExitCode != 0, $"{kind} started: {output}");
        Assert.Contains(expected, output);
    }

    public void Dispose()
    {
        _ca.Dispose();
        try { Directory.Delete(_root, recursive: true); } catch { }
    }
}
