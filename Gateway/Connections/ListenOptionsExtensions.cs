using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Coordinator.Gateway.Connections;

public static class ListenOptionsExtensions
{
    /// <summary>How long a new connection may stay silent before it is handed to HTTP/1.1 (whose own header
    /// timeout then applies).</summary>
    public static readonly TimeSpan SniffTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Serves gRPC (h2c with prior knowledge) and HTTP/1.1 on the same cleartext endpoint, as etcd does on its
    /// client URLs: connections opening with the HTTP/2 preface are marked so Kestrel selects HTTP/2; all
    /// others get HTTP/1.1. Call on every client URL, before any other connection middleware; not for TLS
    /// endpoints (ALPN decides there).
    /// </summary>
    public static ListenOptions UseCoordinatorProtocols(this ListenOptions listenOptions)
    {
        listenOptions.Protocols = HttpProtocols.Http1AndHttp2;
        // The marker features make the transport scheme "https"; h2c clients send ":scheme http".
        listenOptions.KestrelServerOptions.AllowAlternateSchemes = true;
        listenOptions.Use(next => async connection =>
        {
            using var silence = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed);
            silence.CancelAfter(SniffTimeout);
            if (await ProtocolSniffer.StartsWithHttp2PrefaceAsync(connection.Transport.Input, silence.Token))
            {
                connection.Features.Set<ITlsConnectionFeature>(PriorKnowledgeHttp2Features.Instance);
                connection.Features.Set<ITlsApplicationProtocolFeature>(PriorKnowledgeHttp2Features.Instance);
                // etcdctl --cluster sends the member list's client URLs as :authority, which Kestrel refuses.
                await AuthorityNormalizingTransport.ServeNormalizedAsync(connection, next);
                return;
            }
            await next(connection);
        });
        return listenOptions;
    }
}
