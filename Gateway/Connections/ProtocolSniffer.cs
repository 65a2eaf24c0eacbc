using System.Buffers;
using System.IO.Pipelines;

namespace Coordinator.Gateway.Connections;

/// <summary>Tells HTTP/2 prior-knowledge connections from HTTP/1.x ones by their first bytes, without consuming them.</summary>
public static class ProtocolSniffer
{
    /// <summary>RFC 9113 §3.4: every h2c prior-knowledge connection starts with these 24 bytes.</summary>
    public static ReadOnlySpan<byte> Http2Preface => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8;

    /// <summary>Reads until the preface is matched or ruled out; leaves every byte unconsumed for Kestrel.
    /// Returns false (HTTP/1) also when the client closes or stays silent past the token.</summary>
    public static async ValueTask<bool> StartsWithHttp2PrefaceAsync(PipeReader input, CancellationToken cancellationToken)
    {
        using var registration = cancellationToken.Register(input.CancelPendingRead);
        while (true)
        {
            var result = await input.ReadAsync(CancellationToken.None);
            var buffer = result.Buffer;
            var verdict = Match(buffer);
            if (verdict is not null || result.IsCompleted || result.IsCanceled)
            {
                // Nothing consumed or examined: Kestrel's first read returns these bytes at once.
                input.AdvanceTo(buffer.Start);
                return verdict ?? false;
            }
            input.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>True: preface; false: not the preface; null: a prefix of it, need more bytes.</summary>
    public static bool? Match(ReadOnlySequence<byte> buffer)
    {
        var length = (int)Math.Min(buffer.Length, Http2Preface.Length);
        Span<byte> head = stackalloc byte[Http2Preface.Length];
        buffer.Slice(0, length).CopyTo(head);
        if (!head[..length].SequenceEqual(Http2Preface[..length])) return false;
        return length == Http2Preface.Length ? true : null;
    }
}
