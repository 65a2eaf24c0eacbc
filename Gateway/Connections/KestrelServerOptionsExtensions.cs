using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Coordinator.Gateway.Connections;

public static class KestrelServerOptionsExtensions
{
    /// <summary>
    /// Kestrel limits that would break etcd clients: 100 streams per connection (etcd allows ~unlimited; one
    /// grpc-go connection carries every watch and keepalive), and idle timeouts that close connections clients
    /// keep open. Body size and data-rate limits are lifted per gRPC call by the dispatcher.
    /// </summary>
    public static KestrelServerOptions ApplyCoordinatorLimits(this KestrelServerOptions options)
    {
        options.Limits.Http2.MaxStreamsPerConnection = int.MaxValue;
        options.Limits.KeepAliveTimeout = TimeSpan.FromHours(2);
        options.AllowAlternateSchemes = true;
        return options;
    }
}
