using Microsoft.Extensions.Logging;

namespace Coordinator.Silo.Tls;

/// <summary>Log lines of TLS: file loading and reloading, auto TLS, and refused handshakes (each refusal once per
/// remote address and certificate, see <see cref="RefusalLog"/>).</summary>
internal static partial class TlsLog
{
    [LoggerMessage(1, LogLevel.Information, "TLS: loaded certificate {Subject} (serial {Serial}, expires {NotAfter:u}) from {CertFile}")]
    public static partial void CertificateLoaded(ILogger logger, string subject, string serial, DateTime notAfter, string certFile);

    [LoggerMessage(2, LogLevel.Warning, "TLS: cannot reload {File} ({Reason}); still using the previous one")]
    public static partial void ReloadFailed(ILogger logger, string file, string reason);

    [LoggerMessage(3, LogLevel.Information, "TLS: {What} reloaded from {File}")]
    public static partial void Reloaded(ILogger logger, string what, string file);

    [LoggerMessage(4, LogLevel.Information, "auto TLS: created self-signed {Side} certificate {CertFile} for {Hosts}")]
    public static partial void SelfSignedCreated(ILogger logger, string side, string certFile, string hosts);

    [LoggerMessage(5, LogLevel.Warning, "ignoring {Side} auto TLS since certs given")]
    public static partial void AutoTlsIgnored(ILogger logger, string side);

    [LoggerMessage(6, LogLevel.Warning, "rejected {Side} connection from {Remote}: {Reason}")]
    public static partial void HandshakeRefused(ILogger logger, string side, string remote, string reason);

    [LoggerMessage(7, LogLevel.Warning, "scheme is HTTP while {What} for {Url}; ignoring it for this URL")]
    public static partial void IgnoredOnHttp(ILogger logger, string what, Uri url);
}
