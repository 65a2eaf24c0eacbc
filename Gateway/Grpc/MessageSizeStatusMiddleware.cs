using System.Buffers;
using System.Buffers.Binary;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Coordinator.Gateway.Grpc;

/// <summary>
/// Grpc.AspNetCore enforces the request limit (<see cref="GatewayOptions.MaxRequestBytes"/>) from a frame's header,
/// before reading the message, and answers RESOURCE_EXHAUSTED with its own text. etcd clients see grpc-go's text
/// with both sizes; this swaps the text once the call has ended (the status is still unsent then: in the headers
/// of a trailers-only response, or in trailers, which go out after the application returns). The refused
/// frame's header is still unread in the request body, so the declared length comes from there.
/// </summary>
public sealed class MessageSizeStatusMiddleware(RequestDelegate next, GatewayOptions options)
{
    private const string FrameworkText = "Received message exceeds the maximum configured message size.";

    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);
        var headers = !context.Response.HasStarted ? context.Response.Headers
            : context.Features.Get<IHttpResponseTrailersFeature>()?.Trailers;
        if (headers is null || headers.IsReadOnly || !headers.TryGetValue("grpc-message", out var message) || message != FrameworkText)
            return;
        var length = await DeclaredLengthAsync(context.Request);
        headers["grpc-message"] = EtcdStatus.TooLargeText(length, options.MaxRequestBytes);
    }

    /// <summary>The refused frame's length. Its header was examined, so this waits for the next bytes of the body
    /// (the client is still sending the message) or its end, briefly: a stalled client gets 0.</summary>
    private static async Task<long> DeclaredLengthAsync(HttpRequest request)
    {
        using var wait = new CancellationTokenSource(PeekTimeout);
        using var _ = wait.Token.Register(request.BodyReader.CancelPendingRead);
        try
        {
            var result = await request.BodyReader.ReadAsync(CancellationToken.None);
            var buffer = result.Buffer;
            long length = 0;
            if (buffer.Length >= 5)
            {
                Span<byte> header = stackalloc byte[5];
                buffer.Slice(0, 5).CopyTo(header);
                length = BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
            }
            request.BodyReader.AdvanceTo(buffer.Start);
            return length;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or OperationCanceledException)
        {
            return 0;
        }
    }

    private static readonly TimeSpan PeekTimeout = TimeSpan.FromMilliseconds(200);
}
