using Coordinator.Grains.Store;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Coordinator.Gateway.Grpc;

/// <summary>
/// Runs one gRPC call over an HTTP/2 request: checks the request, lifts Kestrel's body limits (we enforce our
/// own per message), derives the call's cancellation, invokes the method and always ends with a grpc-status.
/// </summary>
public sealed class GrpcDispatcher(
    GrpcMethodTable table,
    ICoordinatorNode node,
    GatewayOptions options,
    IHostApplicationLifetime lifetime,
    ILogger<GrpcDispatcher> logger)
{
    public const string ContentType = "application/grpc";

    public GrpcMethodTable Table => table;

    public Task DispatchAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        if (table.TryGet(path, out var method)) return DispatchAsync(context, method);
        GrpcLog.UnknownMethod(logger, path);
        return Refuse(context, StatusCode.Unimplemented, $"unknown method {path}");
    }

    public async Task DispatchAsync(HttpContext context, GrpcMethod method)
    {
        if (!IsGrpcRequest(context.Request))
        {
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return;
        }
        LiftBodyLimits(context, method.Kind);

        if (context.Request.Headers.TryGetValue("grpc-timeout", out var timeoutHeader)
            && !GrpcTimeout.TryParse(timeoutHeader, out _))
        {
            await Refuse(context, StatusCode.Internal, $"malformed grpc-timeout: {timeoutHeader}");
            return;
        }
        TimeSpan? timeout = GrpcTimeout.TryParse(timeoutHeader, out var t) ? t : null;

        var encoding = context.Request.Headers["grpc-encoding"].ToString();
        var reader = new GrpcFrameReader(context.Request.BodyReader, options.MaxRequestBytes, encoding);
        using var call = new GrpcCall(context, reader, timeout, lifetime.ApplicationStopping);
        context.Response.ContentType = ContentType;
        try
        {
            if (method.Kind != GrpcMethodKind.Unary) RequireLeaderIfAsked(call);
            await method.InvokeAsync(call);
            GrpcStatusWriter.Write(call, StatusCode.Ok, null);
        }
        catch (Exception e)
        {
            if (GrpcErrorMapper.Map(e, call) is { } status)
            {
                GrpcLog.CallEnded(logger, method.Path, (int)status.Code, status.Message);
                GrpcStatusWriter.Write(call, status.Code, status.Message);
            }
            else
            {
                GrpcLog.CallFailed(logger, method.Path, e);
                GrpcStatusWriter.Write(call, StatusCode.Unknown, e.Message);
            }
        }
    }

    /// <summary>etcd's stream interceptor: metadata <c>hasleader: true</c> asks to fail rather than wait
    /// on a member that has no leader.</summary>
    private void RequireLeaderIfAsked(GrpcCall call)
    {
        if (call.GetHeader("hasleader") == "true" && node.LeaderId == 0) throw NodeException.NoLeader();
    }

    private static bool IsGrpcRequest(HttpRequest request) =>
        request.ContentType is { } type
        && type.StartsWith(ContentType, StringComparison.OrdinalIgnoreCase)
        && (type.Length == ContentType.Length || type[ContentType.Length] is '+' or ';');

    // Kestrel's defaults suit short HTTP/1 requests: a 30 MB body limit counts over a whole stream's life and
    // the minimum data rate kills an idle watch. Per-message size is enforced by GrpcFrameReader instead.
    private static void LiftBodyLimits(HttpContext context, GrpcMethodKind kind)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = null;
        if (context.Features.Get<IHttpMinRequestBodyDataRateFeature>() is { } rate) rate.MinDataRate = null;
        if (kind != GrpcMethodKind.Unary && context.Features.Get<IHttpMinResponseDataRateFeature>() is { } responseRate)
            responseRate.MinDataRate = null;
    }

    private static Task Refuse(HttpContext context, StatusCode code, string message)
    {
        GrpcStatusWriter.Write(context.Response, started: false, code, message);
        return Task.CompletedTask;
    }
}
