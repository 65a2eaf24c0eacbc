using System.Net;
using System.Net.Sockets;
using Etcdserverpb;
using Grpc.Net.Client;
using Xunit;

namespace Coordinator.Tests.Gateway;

/// <summary>A client that connects first and speaks later — grpc-dotnet's balancer connects its sockets ahead of
/// use — still gets HTTP/2 when its preface comes long after the connect.</summary>
public sealed class SilentConnectionTests
{
    [Fact]
    public async Task A_preface_sent_long_after_the_connect_is_still_served_as_http2()
    {
        await using var host = await GatewayHost.StartAsync();
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, host.Port), ct);
                // Longer than the 10 s after which the member used to treat a silent connection as HTTP/1.1.
                await Task.Delay(TimeSpan.FromSeconds(12), ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        using var channel = GrpcChannel.ForAddress($"http://{host.Endpoint}", new GrpcChannelOptions { HttpHandler = handler });
        var kv = new KV.KVClient(channel);
        var response = await kv.RangeAsync(new RangeRequest { Key = Google.Protobuf.ByteString.CopyFromUtf8("k") });
        Assert.NotNull(response.Header);
    }
}
