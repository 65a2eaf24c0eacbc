using System.Globalization;
using Coordinator.Grains.Store;
using Microsoft.AspNetCore.Http;

namespace Coordinator.Gateway.Grpc;

/// <summary>Ends a call with its status: in trailers after a frame, or in the headers ("trailers-only") when
/// nothing was written. Decided by <see cref="GrpcCall.ResponseStarted"/>, not Response.HasStarted, which stays
/// false after an unflushed write.</summary>
public static class GrpcStatusWriter
{
    public const string StatusHeader = "grpc-status";
    public const string MessageHeader = "grpc-message";

    public static void Write(GrpcCall call, StatusCode code, string? message) =>
        Write(call.HttpContext.Response, call.ResponseStarted, code, message);

    internal static void Write(HttpResponse response, bool started, StatusCode code, string? message)
    {
        var status = ((int)code).ToString(CultureInfo.InvariantCulture);
        var encoded = string.IsNullOrEmpty(message) ? null : GrpcMessageEncoding.Encode(message);
        if (started)
        {
            response.AppendTrailer(StatusHeader, status);
            if (encoded is not null) response.AppendTrailer(MessageHeader, encoded);
            return;
        }
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = GrpcDispatcher.ContentType;
        response.Headers[StatusHeader] = status;
        if (encoded is not null) response.Headers[MessageHeader] = encoded;
    }
}
