using System.Net;
using Coordinator.Gateway;
using Coordinator.Gateway.Connections;
using Coordinator.Gateway.Grpc;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Coordinator.Tests.Gateway;

/// <summary>The gateway on a real Kestrel socket (127.0.0.1, ephemeral port) over a fake node.</summary>
public sealed class GatewayHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GatewayHost(WebApplication app, FakeCoordinatorNode node, int port)
    {
        _app = app;
        Node = node;
        Port = port;
    }

    public FakeCoordinatorNode Node { get; }
    public int Port { get; }
    public string Endpoint => $"127.0.0.1:{Port}";
    public IServiceProvider Services => _app.Services;

    public static async Task<GatewayHost> StartAsync(GatewayOptions? options = null)
    {
        var node = new FakeCoordinatorNode();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.ApplyCoordinatorLimits(options);
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseCoordinatorProtocols());
        });
        builder.Services.AddSingleton<ICoordinatorNode>(node);
        builder.Services.AddCoordinatorGateway(options);
        builder.Services.AddSingleton<ProbeService>();
        var app = builder.Build();
        app.UseCoordinatorGrpc();
        app.MapCoordinatorGateway();
        app.MapGrpcService<ProbeService>();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new GatewayHost(app, node, new Uri(address).Port);
    }

    public GrpcTestClient CreateClient() => new(Port);

    /// <summary>A standard Grpc.Net.Client channel to the gateway (h2c).</summary>
    public GrpcChannel CreateChannel() => GrpcChannel.ForAddress($"http://{Endpoint}",
        new GrpcChannelOptions { HttpHandler = new SocketsHttpHandler { UseProxy = false } });

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
