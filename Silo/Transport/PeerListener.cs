using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Coordinator.Silo.Transport;

/// <summary>
/// A standalone Kestrel peer listener (h2c only) serving one transport's endpoints; for tests and tools.
/// The Silo mounts <see cref="PeerEndpointRouteBuilderExtensions.MapRaftPeerEndpoints"/> on its own listener instead.
/// </summary>
public sealed class PeerListener : IAsyncDisposable
{
    private readonly WebApplication _app;

    private PeerListener(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>The bound URL, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Url { get; }

    /// <summary>Starts listening on <paramref name="address"/>:<paramref name="port"/> (port 0 = any free port).</summary>
    public static async Task<PeerListener> StartAsync(
        PeerTransport transport, IPAddress? address = null, int port = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transport);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();   // the transport logs through its own ILoggerFactory
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.WebHost.ConfigureKestrel(options =>
        {
            PeerRequestLimits.ConfigurePeerListener(options);
            options.Listen(address ?? IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http2);
        });
        var app = builder.Build();
        app.MapRaftPeerEndpoints(transport);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new PeerListener(app, new Uri(bound.EndsWith('/') ? bound : bound + "/"));
    }

    /// <summary>Stops accepting, ends open peer streams (they observe ApplicationStopping) and waits for them.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        await _app.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
