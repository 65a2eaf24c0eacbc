using System.Diagnostics;

namespace Coordinator.Tests.Integration.Tls;

/// <summary>
/// A throw-away certificate authority made with openssl (`openssl req -x509`, `openssl ca`) in a temp dir: issues
/// ECDSA P-256 leaf certificates with the SANs and usages asked for, expired ones, revocations and a CRL. Each
/// instance is its own CA, so a second instance is "the wrong CA". Files are deleted on dispose.
/// </summary>
internal sealed class TestCertificates : IDisposable
{
    public sealed record Pair(string CertFile, string KeyFile);

    private readonly string _dir = Directory.CreateTempSubdirectory("coordinator-tls-").FullName;

    public TestCertificates(string caName = "test-ca")
    {
        Directory.CreateDirectory(Path.Combine(_dir, "newcerts"));
        File.WriteAllText(Path.Combine(_dir, "index.txt"), "");
        File.WriteAllText(Path.Combine(_dir, "serial"), "1000\n");
        File.WriteAllText(Path.Combine(_dir, "crlnumber"), "01\n");
        File.WriteAllText(Config, $"""
            [ ca ]
            default_ca = test_ca
            [ test_ca ]
            dir = {_dir}
            database = {_dir}/index.txt
            new_certs_dir = {_dir}/newcerts
            serial = {_dir}/serial
            crlnumber = {_dir}/crlnumber
            certificate = {CaFile}
            private_key = {_dir}/ca.key
            default_md = sha256
            default_days = 30
            default_crl_days = 30
            policy = policy_any
            unique_subject = no
            [ policy_any ]
            commonName = supplied
            [ req ]
            distinguished_name = dn
            [ dn ]
            """);
        OpenSsl("req", "-x509", "-config", Config, "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", Path.Combine(_dir, "ca.key"), "-out", CaFile, "-days", "30", "-subj", "/CN=" + caName,
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    }

    public string Dir => _dir;
    public string CaFile => Path.Combine(_dir, "ca.pem");
    private string Config => Path.Combine(_dir, "ca.cnf");

    /// <summary>A leaf certificate signed by this CA. <paramref name="san"/> like "IP:127.0.0.1,DNS:localhost" (or
    /// null for none); usages serverAuth and clientAuth unless <paramref name="extendedKeyUsage"/> says otherwise.</summary>
    public Pair Issue(string name, string commonName, string? san = "IP:127.0.0.1,DNS:localhost", bool expired = false,
        string extendedKeyUsage = "serverAuth,clientAuth")
    {
        var key = Path.Combine(_dir, name + ".key");
        var csr = Path.Combine(_dir, name + ".csr");
        var cert = Path.Combine(_dir, name + ".pem");
        var ext = Path.Combine(_dir, name + ".ext");
        File.WriteAllText(ext, "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n" +
            $"extendedKeyUsage={extendedKeyUsage}\n" + (san is null ? "" : $"subjectAltName={san}\n"));
        OpenSsl("req", "-new", "-config", Config, "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", key, "-out", csr, "-subj", "/CN=" + commonName);
        string[] dates = expired ? ["-startdate", "20200101000000Z", "-enddate", "20200102000000Z"] : [];
        OpenSsl(["ca", "-batch", "-config", Config, "-notext", "-in", csr, "-out", cert, "-extfile", ext, .. dates]);
        return new Pair(cert, key);
    }

    /// <summary>Revokes an issued certificate and rewrites the CRL; returns the CRL's path.</summary>
    public string Revoke(Pair pair)
    {
        OpenSsl("ca", "-config", Config, "-revoke", pair.CertFile);
        return WriteCrl();
    }

    /// <summary>The CRL (PEM) of every revocation so far.</summary>
    public string WriteCrl()
    {
        var crl = Path.Combine(_dir, "crl.pem");
        OpenSsl("ca", "-config", Config, "-gencrl", "-out", crl);
        return crl;
    }

    /// <summary>The serial number (lower-case hex) of a certificate file.</summary>
    public static string Serial(string certFile) =>
        OpenSsl("x509", "-in", certFile, "-noout", "-serial").Trim().Split('=')[1].ToLowerInvariant().TrimStart('0');

    public static string OpenSsl(params string[] args)
    {
        var psi = new ProcessStartInfo("openssl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"openssl {string.Join(' ', args)} failed: {stderr}");
        return stdout.Result;
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch { }
    }
}
