using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Coordinator.Gateway.Connections;

public static class KestrelServerOptionsExtensions
{
    /// <summary>
    /// Kestrel limits that would break etcd clients: 100 streams per connection (etcd allows ~unlimited; one
    /// grpc-go connection carries every watch and keep-alive), and idle timeouts that close connections clients
    /// keep open. Server keepalive: a PING after <see cref="GatewayOptions.KeepAliveInterval"/> of silence, and the
    /// connection closed when it goes unanswered for <see cref="GatewayOptions.KeepAliveTimeout"/> (etcd's
    /// --grpc-keepalive-interval/-timeout). Grpc.AspNetCore lifts body size and data-rate limits per streaming call.
    /// </summary>
    public static KestrelServerOptions ApplyCoordinatorLimits(this KestrelServerOptions options, GatewayOptions? gateway = null)
    {
        gateway ??= new GatewayOptions();
        options.Limits.Http2.MaxStreamsPerConnection = int.MaxValue;
        options.Limits.Http2.KeepAlivePingDelay = gateway.KeepAliveInterval;
        options.Limits.Http2.KeepAlivePingTimeout = gateway.KeepAliveTimeout;
        options.Limits.KeepAliveTimeout = TimeSpan.FromHours(2);
        // A watch whose client reads slowly waits in the hub's buffer, not in a killed connection.
        options.Limits.MinResponseDataRate = null;
        options.AllowAlternateSchemes = true;
        return options;
    }
}
