using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Coordinator.Gateway.Connections;

public static class TlsListenOptionsExtensions
{
    /// <summary>
    /// Serves gRPC and HTTP/1.1 on the same TLS endpoint, as etcd does on an https:// client URL: ALPN decides
    /// (h2 for gRPC clients, http/1.1 for curl --http1.1 and browsers). The TLS options come per connection from
    /// <paramref name="tls"/> (certificate rotation, client certificate checks); HTTP/2 connections get the same
    /// <c>:authority</c> normalization as cleartext ones (etcdctl --cluster sends whole URLs there).
    /// </summary>
    public static ListenOptions UseCoordinatorTlsProtocols(this ListenOptions listenOptions, TlsHandshakeCallbackOptions tls)
    {
        listenOptions.Protocols = HttpProtocols.Http1AndHttp2;
        listenOptions.UseHttps(tls);
        listenOptions.Use(next => async connection =>
        {
            var alpn = connection.Features.Get<ITlsApplicationProtocolFeature>()?.ApplicationProtocol ?? default;
            if (!alpn.Span.SequenceEqual("h2"u8))
            {
                await next(connection);
                return;
            }
            await AuthorityNormalizingTransport.ServeNormalizedAsync(connection, next);
        });
        return listenOptions;
    }
}
