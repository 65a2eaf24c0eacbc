using Microsoft.AspNetCore.Http;

namespace Coordinator.Silo.Transport;

/// <summary>
/// Admission of one peer request: the sender must be of our cluster and address us. A refused request is
/// answered 412 with our own identity headers (so the sender can say what is wrong) and a text reason,
/// and no message of it is delivered.
/// </summary>
internal static class PeerIdentityCheck
{
    /// <summary>True with the sender's member id, or false after writing the 412 answer.</summary>
    public static async Task<(bool Admitted, ulong From)> AdmitAsync(HttpContext context, PeerTransport transport)
    {
        var headers = context.Request.Headers;
        string? refusal = null;
        ulong from = 0;
        if (!PeerHeaders.TryParseId(headers[PeerHeaders.ClusterId], out var cluster) ||
            !PeerHeaders.TryParseId(headers[PeerHeaders.From], out from) || from == 0 ||
            !PeerHeaders.TryParseId(headers[PeerHeaders.To], out var to))
            refusal = $"missing or malformed identity headers ({PeerHeaders.ClusterId}, {PeerHeaders.From}, {PeerHeaders.To})";
        else if (cluster != transport.ClusterId)
            refusal = $"sender {PeerHeaders.FormatId(from)} belongs to another cluster (its cluster id {PeerHeaders.FormatId(cluster)}, ours {PeerHeaders.FormatId(transport.ClusterId)})";
        else if (to != transport.MemberId)
            refusal = $"sender {PeerHeaders.FormatId(from)} addressed member {PeerHeaders.FormatId(to)}, but this is member {PeerHeaders.FormatId(transport.MemberId)}";
        else if (from == transport.MemberId)
            refusal = $"sender claims to be this member ({PeerHeaders.FormatId(from)})";

        if (refusal is null) return (true, from);

        Interlocked.Increment(ref transport.Statistics.refusedRequests);
        TransportLog.InboundRefused(transport.Logger, context.Request.Path, context.Connection.RemoteIpAddress + ":" + context.Connection.RemotePort, refusal);
        context.Response.StatusCode = StatusCodes.Status412PreconditionFailed;
        context.Response.Headers[PeerHeaders.ClusterId] = PeerHeaders.FormatId(transport.ClusterId);
        context.Response.Headers[PeerHeaders.From] = PeerHeaders.FormatId(transport.MemberId);
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(refusal, context.RequestAborted).ConfigureAwait(false);
        return (false, from);
    }
}
