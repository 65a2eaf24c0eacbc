using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Coordinator.Gateway.Grpc;

/// <summary>
/// Grpc.AspNetCore enforces the request limit (<see cref="GatewayOptions.MaxRequestBytes"/>) from a frame's header,
/// before reading the message, and answers RESOURCE_EXHAUSTED with its own text. etcd clients see grpc-go's text
/// with both sizes; this swaps the text once the call has ended (the status is still unsent then: in the headers
/// of a trailers-only response, or in trailers, which go out after the application returns). The refused frame's
/// declared length comes from a <see cref="FrameHeaderRecorder"/> over the gRPC request's body.
/// </summary>
public sealed class MessageSizeStatusMiddleware(RequestDelegate next, GatewayOptions options)
{
    private const string FrameworkText = "Received message exceeds the maximum configured message size.";

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) != true
            || context.Features.Get<IRequestBodyPipeFeature>() is not { } body)
        {
            await next(context);
            return;
        }
        var recorder = new FrameHeaderRecorder(body.Reader);
        context.Features.Set<IRequestBodyPipeFeature>(recorder);
        try
        {
            await next(context);
        }
        finally
        {
            context.Features.Set(body);
        }
        var headers = !context.Response.HasStarted ? context.Response.Headers
            : context.Features.Get<IHttpResponseTrailersFeature>()?.Trailers;
        if (headers is null || headers.IsReadOnly || !headers.TryGetValue("grpc-message", out var message) || message != FrameworkText)
            return;
        headers["grpc-message"] = EtcdStatus.TooLargeText(Math.Max(recorder.LastDeclaredLength, 0), options.MaxRequestBytes);
    }
}
