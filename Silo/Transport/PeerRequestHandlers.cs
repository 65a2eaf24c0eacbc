using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Threading.Channels;
using Coordinator.Grains.Raft;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Coordinator.Silo.Transport;

/// <summary>Server side of the peer endpoints. Every request is admitted by <see cref="PeerIdentityCheck"/> first.</summary>
internal sealed class PeerRequestHandlers(PeerTransport transport)
{
    /// <summary>POST /raft/stream: reads batch frames until the sender ends the stream or we stop.</summary>
    public async Task HandleStreamAsync(HttpContext context)
    {
        var (admitted, from) = await PeerIdentityCheck.AdmitAsync(context, transport).ConfigureAwait(false);
        if (!admitted) return;
        if (transport.IsStopped)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }
        PeerRequestLimits.LiftForLongRequest(context);
        Interlocked.Increment(ref transport.Statistics.inboundStreamRequests);
        TransportLog.InboundStreamOpened(transport.Logger, from);

        using var lifetime = LinkLifetime(context);
        var token = lifetime.Token;
        try
        {
            // Send the response headers now: the sender treats them as "stream accepted".
            context.Response.StatusCode = StatusCodes.Status200OK;
            await context.Response.StartAsync(token).ConfigureAwait(false);
            await context.Response.BodyWriter.FlushAsync(token).ConfigureAwait(false);
            await ReadFramesAsync(context.Request.BodyReader, from, token).ConfigureAwait(false);
        }
        catch (RaftMessageFormatException e)
        {
            TransportLog.InboundProtocolError(transport.Logger, PeerRoutes.Stream, from, e.Message);
            context.Abort();
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException or IOException or
                                      BadHttpRequestException || token.IsCancellationRequested)
        {
            // Sender went away, or we are stopping: ending the response tells the sender to reconnect.
        }
        finally
        {
            TransportLog.InboundStreamClosed(transport.Logger, from);
        }
    }

    private async Task ReadFramesAsync(PipeReader reader, ulong from, CancellationToken token)
    {
        var maxFrameBytes = transport.Options.MaxFrameBytes;
        while (true)
        {
            var result = await reader.ReadAsync(token).ConfigureAwait(false);
            var buffer = result.Buffer;
            try
            {
                while (MessageBatchCodec.TryReadFrameLength(buffer, maxFrameBytes) is { } length &&
                       buffer.Length >= MessageBatchCodec.FrameHeaderBytes + length)
                {
                    var body = buffer.Slice(MessageBatchCodec.FrameHeaderBytes, length);
                    var messages = MessageBatchCodec.ReadFrameBody(body);
                    buffer = buffer.Slice(body.End);
                    foreach (var message in messages) CheckAddressing(message, from);
                    Interlocked.Increment(ref transport.Statistics.batchesReceived);
                    Interlocked.Add(ref transport.Statistics.messagesReceived, messages.Count);
                    foreach (var message in messages)
                    {
                        transport.Traffic.OnReceive(message, message.Type == MessageType.Append ? RaftMessageCodec.GetEncodedSize(message) : 0);
                        await transport.InboundWriter.WriteAsync(message, token).ConfigureAwait(false);
                    }
                }
                if (result.IsCompleted)
                {
                    if (!buffer.IsEmpty) throw new RaftMessageFormatException($"stream ended inside a frame ({buffer.Length} bytes left)");
                    return;
                }
            }
            finally
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
    }

    /// <summary>Messages must travel between the members named in the headers; anything else is a bug or an attack.</summary>
    private void CheckAddressing(Message message, ulong from)
    {
        if (message.From != from || message.To != transport.MemberId)
            throw new RaftMessageFormatException(
                $"message {message.From}->{message.To} on the stream from {from} to {transport.MemberId}");
    }

    /// <summary>POST /raft/snapshot: reads one InstallSnapshot message and its data, delivers it, answers 204.</summary>
    public async Task HandleSnapshotAsync(HttpContext context)
    {
        var (admitted, from) = await PeerIdentityCheck.AdmitAsync(context, transport).ConfigureAwait(false);
        if (!admitted) return;
        PeerRequestLimits.LiftForLongRequest(context);
        Interlocked.Increment(ref transport.Statistics.inboundSnapshotRequests);
        using var lifetime = LinkLifetime(context);
        var token = lifetime.Token;
        try
        {
            var message = await SnapshotReader.ReadAsync(context.Request.Body, transport.Options, token).ConfigureAwait(false);
            CheckAddressing(message, from);
            await transport.InboundWriter.WriteAsync(message, token).ConfigureAwait(false);
            Interlocked.Increment(ref transport.Statistics.snapshotsReceived);
            var metadata = message.Snapshot!.Metadata;
            TransportLog.SnapshotReceived(transport.Logger, from, metadata.Term, metadata.Index, message.Snapshot.Data.Length);
            context.Response.StatusCode = StatusCodes.Status204NoContent;
        }
        catch (Exception e) when (e is RaftMessageFormatException or EndOfStreamException)
        {
            TransportLog.InboundProtocolError(transport.Logger, PeerRoutes.Snapshot, from, e.Message);
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync(e.Message, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException or IOException or
                                      BadHttpRequestException || token.IsCancellationRequested)
        {
            // The sender went away mid-transfer, or we are stopping; the sender reports the snapshot failed.
            if (!context.Response.HasStarted) context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        }
    }

    /// <summary>POST /raft/rpc/{method}: runs the registered handler.</summary>
    public async Task HandleRpcAsync(HttpContext context)
    {
        var (admitted, from) = await PeerIdentityCheck.AdmitAsync(context, transport).ConfigureAwait(false);
        if (!admitted) return;
        Interlocked.Increment(ref transport.Statistics.inboundRpcRequests);
        var method = context.Request.RouteValues["method"] as string ?? "";
        var handler = transport.FindHandler(method);
        if (handler is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await context.Response.WriteAsync($"no handler for rpc method '{method}'", context.RequestAborted).ConfigureAwait(false);
            return;
        }
        using var lifetime = LinkLifetime(context);
        var token = lifetime.Token;
        byte[] response;
        try
        {
            var body = await ReadBodyAsync(context.Request, transport.Options.MaxRpcBytes, token).ConfigureAwait(false);
            if (body is null)
            {
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                return;
            }
            response = await handler(from, body, token).ConfigureAwait(false);
        }
        catch (Exception e) when (!token.IsCancellationRequested)
        {
            TransportLog.RpcHandlerFailed(transport.Logger, e, method, from);
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            await context.Response.WriteAsync($"{e.GetType().Name}: {e.Message}", CancellationToken.None).ConfigureAwait(false);
            return;
        }
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/octet-stream";
        context.Response.ContentLength = response.Length;
        await context.Response.Body.WriteAsync(response, token).ConfigureAwait(false);
    }

    /// <summary>The whole body, or null if it exceeds <paramref name="limit"/> bytes.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int limit, CancellationToken token)
    {
        if (request.ContentLength > limit) return null;
        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, token).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > limit) return null;
                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        return buffer.ToArray();
    }

    /// <summary>Ends a request when the client goes away, the transport stops, or the host shuts down.</summary>
    private CancellationTokenSource LinkLifetime(HttpContext context)
    {
        var appStopping = context.RequestServices?.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None;
        return CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, transport.StoppingToken, appStopping);
    }
}
