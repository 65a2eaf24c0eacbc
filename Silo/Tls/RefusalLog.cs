using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Coordinator.Silo.Tls;

/// <summary>
/// Logs a refused TLS handshake once per (side, remote address, certificate, reason): a peer or client that keeps
/// retrying with the same bad certificate gets one clear line, not one per attempt. Bounded, so that a flood of
/// distinct certificates cannot grow it without limit (past the bound, refusals are no longer logged).
/// </summary>
public sealed class RefusalLog(ILogger logger)
{
    private const int MaxRemembered = 4096;
    private readonly ConcurrentDictionary<string, byte> _seen = new(StringComparer.Ordinal);

    public void Refused(string side, string remoteAddress, string certificateKey, string reason)
    {
        if (_seen.Count >= MaxRemembered) return;
        if (_seen.TryAdd($"{side}\n{remoteAddress}\n{certificateKey}\n{reason}", 0))
            TlsLog.HandshakeRefused(logger, side, remoteAddress, reason);
    }
}
