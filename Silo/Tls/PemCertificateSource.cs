using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Coordinator.Silo.Configuration;
using Microsoft.Extensions.Logging;

namespace Coordinator.Silo.Tls;

/// <summary>
/// A certificate and its key from PEM files (etcd's --cert-file/--key-file), read again whenever either file
/// changes: every new TLS connection asks <see cref="Current"/>, which compares the files' stamps first (a stat,
/// not a read). A file that fails to load (half written, mismatched key) keeps the previous certificate in use
/// and is logged once per change. Thread-safe; owns the loaded certificates.
/// </summary>
public sealed class PemCertificateSource
{
    private readonly string _certFile, _keyFile;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private Loaded _loaded;                 // guarded by _gate for writes; read as one reference
    private (FileStamp Cert, FileStamp Key) _failedStamps; // guarded by _gate: the stamps last logged as failing

    /// <summary>Loads the files now; a problem is a <see cref="ConfigurationException"/> (the member does not start).</summary>
    public PemCertificateSource(string certFile, string keyFile, ILogger logger)
    {
        _certFile = Path.GetFullPath(certFile);
        _keyFile = Path.GetFullPath(keyFile);
        _logger = logger;
        try
        {
            _loaded = Load();
        }
        catch (Exception e) when (e is IOException or CryptographicException or UnauthorizedAccessException or ArgumentException)
        {
            throw new ConfigurationException($"cannot load TLS certificate {certFile} with key {keyFile}: {e.Message}");
        }
        TlsLog.CertificateLoaded(logger, _loaded.Leaf.Subject, _loaded.Leaf.SerialNumber, _loaded.Leaf.NotAfter.ToUniversalTime(), _certFile);
    }

    public string CertFile => _certFile;

    /// <summary>The certificate (with its private key) as the files are now.</summary>
    public X509Certificate2 Leaf => Current().Leaf;

    /// <summary>The certificate with the chain sent along (the other certificates of the cert file).</summary>
    public SslStreamCertificateContext Context => Current().Context;

    private Loaded Current()
    {
        var loaded = _loaded;
        var stamps = (FileStamp.Of(_certFile), FileStamp.Of(_keyFile));
        if (stamps == loaded.Stamps) return loaded;
        lock (_gate)
        {
            if (_loaded.Stamps == stamps) return _loaded;
            try
            {
                _loaded = Load();
                TlsLog.Reloaded(_logger, "certificate " + _loaded.Leaf.Subject + " serial " + _loaded.Leaf.SerialNumber, _certFile);
            }
            catch (Exception e) when (e is IOException or CryptographicException or UnauthorizedAccessException or ArgumentException)
            {
                if (_failedStamps != stamps) TlsLog.ReloadFailed(_logger, _certFile, e.Message);
                _failedStamps = stamps;
            }
            return _loaded;
        }
    }

    private Loaded Load()
    {
        // Stamps first: a change that lands while we read is seen as another change next time.
        var stamps = (FileStamp.Of(_certFile), FileStamp.Of(_keyFile));
        var leaf = X509Certificate2.CreateFromPemFile(_certFile, _keyFile);
        var all = new X509Certificate2Collection();
        all.ImportFromPemFile(_certFile);
        var chain = new X509Certificate2Collection();
        foreach (var c in all.Skip(1)) chain.Add(c);
        var context = SslStreamCertificateContext.Create(leaf, chain, offline: true);
        return new Loaded(leaf, context, stamps);
    }

    private sealed record Loaded(X509Certificate2 Leaf, SslStreamCertificateContext Context, (FileStamp Cert, FileStamp Key) Stamps);
}
