using System.Net;
using Coordinator.Tests.Integration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Coordinator.Client.Tests.Fixtures;

/// <summary>A Grpc.AspNetCore server (h2c on a free loopback port) for one scripted service instance.</summary>
public sealed class ScriptedServer : IAsyncDisposable
{
    private WebApplication? _app;

    public int Port { get; } = FreePorts.Take(1)[0];

    public string Endpoint => $"127.0.0.1:{Port}";

    public async Task StartAsync<TService>(TService service) where TService : class
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, Port, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(service);
        _app = builder.Build();
        _app.MapGrpcService<TService>();
        await _app.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }
}
