using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace Coordinator.Silo.Transport;

/// <summary>Kestrel limits that would kill long-lived peer streams, and how we lift them.</summary>
public static class PeerRequestLimits
{
    /// <summary>
    /// Server-wide settings for a peer listener (see WIRE.md): no minimum data rates (an idle stream is
    /// normal), no body size cap (a stream carries unbounded bytes over its life), many streams per
    /// connection, and larger HTTP/2 windows so snapshots move fast.
    /// </summary>
    public static void ConfigurePeerListener(KestrelServerOptions options)
    {
        options.Limits.MinRequestBodyDataRate = null;
        options.Limits.MinResponseDataRate = null;
        options.Limits.MaxRequestBodySize = null;
        options.Limits.KeepAliveTimeout = TimeSpan.FromMinutes(10);
        options.Limits.Http2.MaxStreamsPerConnection = 1000;
        options.Limits.Http2.InitialConnectionWindowSize = 8 << 20;
        options.Limits.Http2.InitialStreamWindowSize = 4 << 20;
        options.Limits.Http2.KeepAlivePingDelay = TimeSpan.FromSeconds(10);
        options.Limits.Http2.KeepAlivePingTimeout = TimeSpan.FromSeconds(20);
    }

    /// <summary>Per-request lifting, so the peer endpoints work even on a listener with default limits.</summary>
    internal static void LiftForLongRequest(Microsoft.AspNetCore.Http.HttpContext context)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = null;
        try
        {
            if (context.Features.Get<IHttpMinRequestBodyDataRateFeature>() is { } rate) rate.MinDataRate = null;
        }
        catch (NotSupportedException)
        {
            // Some protocol versions fix the rate per connection; ConfigurePeerListener lifts it server-wide.
        }
    }
}
