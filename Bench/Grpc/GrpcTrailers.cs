using System.Net;
using System.Net.Http.Headers;

namespace Coordinator.Bench.Grpc;

/// <summary>Reads grpc-status from headers (trailers-only responses) or trailers, and throws when it is not OK.</summary>
public static class GrpcTrailers
{
    public static void ThrowIfHttpFailed(HttpResponseMessage response)
    {
        if (response.StatusCode != HttpStatusCode.OK)
            throw new GrpcStatusException(-1, ((int)response.StatusCode).ToString());
    }

    /// <summary>True when the status was found (and was OK); throws for a non-OK status.</summary>
    public static bool CheckStatus(HttpHeaders headers)
    {
        if (!headers.TryGetValues("grpc-status", out var values))
            return false;
        var text = values.FirstOrDefault() ?? "2";
        var status = int.TryParse(text, out var s) ? s : 2;
        if (status == 0)
            return true;
        var message = headers.TryGetValues("grpc-message", out var m) ? Uri.UnescapeDataString(m.FirstOrDefault() ?? "") : "";
        throw new GrpcStatusException(status, message);
    }
}
