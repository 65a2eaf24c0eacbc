using System.Net;
using System.Net.Http.Headers;

namespace Coordinator.Client.Transport;

/// <summary>The <c>grpc-status</c> / <c>grpc-message</c> pair of a finished call.</summary>
internal readonly record struct GrpcStatus(GrpcStatusCode Code, string Message)
{
    public bool IsOk => Code == GrpcStatusCode.OK;

    public CoordinatorException ToException() => new(Code, Message);

    /// <summary>Trailers-only responses carry the status in the headers; otherwise it is in the trailers,
    /// which are filled only after the body was read to its end.</summary>
    public static GrpcStatus? From(HttpHeaders headers)
    {
        if (!headers.TryGetValues("grpc-status", out var codes)) return null;
        var text = codes.FirstOrDefault();
        var code = int.TryParse(text, out var c) ? (GrpcStatusCode)c : GrpcStatusCode.Unknown;
        var message = headers.TryGetValues("grpc-message", out var m) ? Uri.UnescapeDataString(m.FirstOrDefault() ?? "") : "";
        return new GrpcStatus(code, message);
    }

    /// <summary>Maps a non-200 HTTP status the way grpc-go does (e.g. a proxy or an HTTP/1.1-only server).</summary>
    public static void ThrowIfHttpError(HttpResponseMessage response)
    {
        if (response.StatusCode == HttpStatusCode.OK) return;
        var code = response.StatusCode switch
        {
            HttpStatusCode.BadRequest => GrpcStatusCode.Internal,
            HttpStatusCode.Unauthorized => GrpcStatusCode.Unauthenticated,
            HttpStatusCode.Forbidden => GrpcStatusCode.PermissionDenied,
            HttpStatusCode.NotFound => GrpcStatusCode.Unimplemented,
            HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable
                or HttpStatusCode.GatewayTimeout => GrpcStatusCode.Unavailable,
            _ => GrpcStatusCode.Unknown,
        };
        throw new CoordinatorException(code, $"unexpected HTTP status {(int)response.StatusCode}");
    }
}
