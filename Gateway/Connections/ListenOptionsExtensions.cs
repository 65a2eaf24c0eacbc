using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Coordinator.Gateway.Connections;

public static class ListenOptionsExtensions
{
    /// <summary>
    /// How long a new connection may stay silent before its first bytes; then it is closed. Silence says nothing
    /// about the protocol: grpc-dotnet's balancer connects sockets ahead of use and may send its HTTP/2 preface a
    /// minute later (handing a silent connection to HTTP/1.1 made Kestrel answer that preface with GOAWAY
    /// HTTP_1_1_REQUIRED and fail the call). Kestrel's keep-alive timeout by default, as for an idle connection.
    /// </summary>
    public static TimeSpan SilenceTimeout(ListenOptions listenOptions) => listenOptions.KestrelServerOptions.Limits.KeepAliveTimeout;

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
            silence.CancelAfter(SilenceTimeout(listenOptions));
            var http2 = await ProtocolSniffer.StartsWithHttp2PrefaceAsync(connection.Transport.Input, silence.Token);
            if (silence.IsCancellationRequested && !http2) return; // silent or gone: closed, whatever it would have spoken
            if (http2)
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
