using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Coordinator.Bench.CheckPerf;

/// <summary>
/// An etcd v3 endpoint that does no work: every unary gRPC call is answered at once with a message holding only
/// a ResponseHeader with revision 1 (field 1 of every etcd response message). It stores nothing, so it measures
/// what a load generator reaches when the server costs only its HTTP/2 handling: the ceiling of that generator
/// on this machine. Kestrel with HTTP/2 prior knowledge, as etcd clients connect.
/// </summary>
public static class NullEtcdServer
{
    // gRPC frame: not compressed, length 4, then { header (1) = { revision (3) = 1 } }.
    private static readonly byte[] Reply = [0, 0, 0, 0, 4, 0x0a, 0x02, 0x18, 0x01];

    public static async Task RunAsync(int port, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(IPAddress.Loopback, port, l => l.Protocols = HttpProtocols.Http2);
        });
        await using var app = builder.Build();
        app.Run(AnswerAsync);
        await app.StartAsync(ct);
        await app.WaitForShutdownAsync(ct); // SIGTERM, Ctrl-C, or ct
    }

    private static async Task AnswerAsync(HttpContext context)
    {
        var body = context.Request.BodyReader;
        while (true)
        {
            var read = await body.ReadAsync(context.RequestAborted);
            body.AdvanceTo(read.Buffer.End);
            if (read.IsCompleted) break;
        }
        context.Response.ContentType = "application/grpc";
        context.Response.AppendTrailer("grpc-status", "0");
        await context.Response.Body.WriteAsync(Reply, context.RequestAborted);
    }
}
