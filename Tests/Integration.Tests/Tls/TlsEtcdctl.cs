namespace Coordinator.Tests.Integration.Tls;

/// <summary>etcdctl v3 over TLS: --cacert, --cert, --key, short timeouts (a refused handshake fails within them).</summary>
internal static class TlsEtcdctl
{
    public static Task<Etcdctl.Result> RunAsync(string endpoint, string? caFile, TestCertificates.Pair? client, params string[] args)
    {
        var all = new List<string> { "--dial-timeout=2s", "--command-timeout=4s" };
        if (caFile is not null) all.Add("--cacert=" + caFile);
        if (client is not null) { all.Add("--cert=" + client.CertFile); all.Add("--key=" + client.KeyFile); }
        all.AddRange(args);
        return Etcdctl.RunAsync(endpoint, [.. all]);
    }
}
