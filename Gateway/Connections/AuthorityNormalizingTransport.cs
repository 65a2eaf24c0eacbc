using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;

namespace Coordinator.Gateway.Connections;

/// <summary>
/// The input side of one HTTP/2 client connection, passed through frame by frame, with the header blocks of
/// requests whose <c>:authority</c> is a whole URL rewritten by <see cref="HpackAuthority"/> (Kestrel resets such
/// streams; etcd's server serves them). HEADERS and CONTINUATION frames of a block are collected until
/// END_HEADERS; a block that needs no change goes on as it came, a rewritten one as HEADERS (+ CONTINUATION) frames
/// without padding. Everything else is copied unchanged. Owns the pump between the socket's pipe and Kestrel's.
/// </summary>
internal sealed class AuthorityNormalizingTransport : IDuplexPipe, IAsyncDisposable
{
    private const int PrefaceLength = 24;
    private const int FrameHeaderLength = 9;
    private const byte Headers = 0x1, Continuation = 0x9;
    private const byte EndStream = 0x1, EndHeaders = 0x4, Padded = 0x8, Priority = 0x20;
    // Kestrel's default SETTINGS_MAX_FRAME_SIZE (and HTTP/2's minimum): rewritten frames never exceed it.
    private const int MaxFrameLength = 16384;
    // A peer that sends a larger frame than Kestrel allows is Kestrel's to refuse: pass it on without buffering more.
    private const int MaxBufferedBlock = 1 << 20;

    private readonly IDuplexPipe _inner;
    // Inline schedulers: Kestrel's frame loop continues on the pump's thread when the pump flushes (and the pump on
    // Kestrel's when it frees space), so the extra pipe costs a copy, not a thread-pool hop per read.
    private readonly Pipe _input = new(new PipeOptions(readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline,
        useSynchronizationContext: false, pauseWriterThreshold: 1 << 20, resumeWriterThreshold: 1 << 19));
    private readonly Task _pump;
    private readonly ArrayBufferWriter<byte> _block = new();
    private byte[]? _heldFrames; // original bytes of an unfinished header block
    private int _heldLength;
    private byte _blockFlags;
    private uint _blockStream;
    private long _passThrough; // bytes of an oversized frame still to copy as they come

    /// <summary>Runs the rest of the connection's pipeline on a normalizing transport; the original transport is
    /// put back before the normalizer is disposed.</summary>
    public static async Task ServeNormalizedAsync(Microsoft.AspNetCore.Connections.ConnectionContext connection,
        Microsoft.AspNetCore.Connections.ConnectionDelegate next)
    {
        var original = connection.Transport;
        await using var normalized = new AuthorityNormalizingTransport(original);
        connection.Transport = normalized;
        try
        {
            await next(connection);
        }
        finally
        {
            connection.Transport = original;
        }
    }

    public AuthorityNormalizingTransport(IDuplexPipe inner)
    {
        _inner = inner;
        _pump = Task.Run(PumpAsync);
    }

    public PipeReader Input => _input.Reader;

    public PipeWriter Output => _inner.Output;

    private async Task PumpAsync()
    {
        var source = _inner.Input;
        var sink = _input.Writer;
        var prefaceLeft = PrefaceLength;
        Exception? failure = null;
        try
        {
            while (true)
            {
                var read = await source.ReadAsync().ConfigureAwait(false);
                var buffer = read.Buffer;
                if (prefaceLeft > 0 && !buffer.IsEmpty)
                {
                    var take = (int)Math.Min(prefaceLeft, buffer.Length);
                    Copy(buffer.Slice(0, take), sink);
                    buffer = buffer.Slice(take);
                    prefaceLeft -= take;
                }
                while (prefaceLeft == 0 && !buffer.IsEmpty)
                {
                    if (_passThrough > 0)
                    {
                        var take = Math.Min(_passThrough, buffer.Length);
                        Copy(buffer.Slice(0, take), sink);
                        buffer = buffer.Slice(take);
                        _passThrough -= take;
                        continue;
                    }
                    if (!TryTakeFrame(ref buffer, out var frame, out var oversized))
                    {
                        if (!oversized) break;
                        // Larger than Kestrel accepts: never buffered whole; Kestrel refuses it from its header.
                        ReleaseHeld(sink);
                        _passThrough = FrameLength(buffer);
                        continue;
                    }
                    Forward(frame, sink);
                }
                source.AdvanceTo(buffer.Start, buffer.End);
                var flushed = await sink.FlushAsync().ConfigureAwait(false);
                if (read.IsCompleted || read.IsCanceled || flushed.IsCompleted) break;
            }
        }
        catch (Exception e)
        {
            failure = e;
        }
        await sink.CompleteAsync(failure).ConfigureAwait(false);
        await source.CompleteAsync().ConfigureAwait(false);
    }

    private static long FrameLength(ReadOnlySequence<byte> buffer)
    {
        Span<byte> header = stackalloc byte[3];
        buffer.Slice(0, 3).CopyTo(header);
        return FrameHeaderLength + ((header[0] << 16) | (header[1] << 8) | header[2]);
    }

    private static bool TryTakeFrame(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> frame, out bool oversized)
    {
        frame = default;
        oversized = false;
        if (buffer.Length < FrameHeaderLength) return false;
        var length = FrameLength(buffer) - FrameHeaderLength;
        oversized = length > MaxFrameLength;
        if (oversized || buffer.Length < FrameHeaderLength + length) return false;
        frame = buffer.Slice(0, FrameHeaderLength + length);
        buffer = buffer.Slice(frame.End);
        return true;
    }

    private void Forward(ReadOnlySequence<byte> frame, PipeWriter sink)
    {
        Span<byte> header = stackalloc byte[FrameHeaderLength];
        frame.Slice(0, FrameHeaderLength).CopyTo(header);
        var type = header[3];
        var flags = header[4];
        var stream = BinaryPrimitives.ReadUInt32BigEndian(header[5..]) & 0x7FFFFFFF;
        var payload = frame.Slice(FrameHeaderLength);

        if (type == Headers && _heldFrames is null)
        {
            if (!TryFragment(payload, flags, out var fragment)) { Copy(frame, sink); return; }
            _block.Clear();
            _block.Write(fragment);
            _blockFlags = flags;
            _blockStream = stream;
            if ((flags & EndHeaders) != 0) { EmitBlock(frame, sink); return; }
            Hold(frame);
            return;
        }
        if (type == Continuation && _heldFrames is not null && stream == _blockStream && _block.WrittenCount + payload.Length <= MaxBufferedBlock)
        {
            foreach (var segment in payload) _block.Write(segment.Span);
            Hold(frame);
            if ((flags & EndHeaders) != 0) EmitBlock(default, sink);
            return;
        }
        // Anything else (a protocol error inside a block included) goes on as it is; Kestrel judges it.
        ReleaseHeld(sink);
        Copy(frame, sink);
    }

    /// <summary>The header block fragment of a HEADERS payload, without padding and priority.</summary>
    private static bool TryFragment(ReadOnlySequence<byte> payload, byte flags, out byte[] fragment)
    {
        fragment = [];
        var bytes = payload.ToArray();
        var start = 0;
        var end = bytes.Length;
        if ((flags & Padded) != 0)
        {
            if (bytes.Length < 1) return false;
            end -= bytes[0];
            start = 1;
        }
        if ((flags & Priority) != 0) start += 5;
        if (start > end) return false;
        fragment = bytes[start..end];
        return true;
    }

    private void Hold(ReadOnlySequence<byte> frame)
    {
        var length = (int)frame.Length;
        _heldFrames ??= new byte[Math.Max(4096, length)];
        if (_heldLength + length > _heldFrames.Length) Array.Resize(ref _heldFrames, Math.Max(_heldFrames.Length * 2, _heldLength + length));
        frame.CopyTo(_heldFrames.AsSpan(_heldLength));
        _heldLength += length;
    }

    private void ReleaseHeld(PipeWriter sink)
    {
        if (_heldFrames is null) return;
        sink.Write(_heldFrames.AsSpan(0, _heldLength));
        _heldFrames = null;
        _heldLength = 0;
    }

    /// <summary>Sends the finished block: rewritten when needed, else the original frames (held ones, or
    /// <paramref name="single"/> for a block that came in one frame).</summary>
    private void EmitBlock(ReadOnlySequence<byte> single, PipeWriter sink)
    {
        var rewritten = HpackAuthority.Rewrite(_block.WrittenSpan);
        if (rewritten is null)
        {
            if (_heldFrames is null) Copy(single, sink);
            else ReleaseHeld(sink);
            return;
        }
        _heldFrames = null;
        _heldLength = 0;
        // The priority fields, if any, are dropped with the padding: they are advisory (RFC 9113 §5.3.2).
        var offset = 0;
        var first = true;
        do
        {
            var length = Math.Min(MaxFrameLength, rewritten.Length - offset);
            var last = offset + length == rewritten.Length;
            var flags = first ? (byte)(_blockFlags & EndStream) : (byte)0;
            if (last) flags |= EndHeaders;
            WriteFrame(sink, first ? Headers : Continuation, flags, _blockStream, rewritten.AsSpan(offset, length));
            offset += length;
            first = false;
        }
        while (offset < rewritten.Length);
    }

    private static void WriteFrame(PipeWriter sink, byte type, byte flags, uint stream, ReadOnlySpan<byte> payload)
    {
        var span = sink.GetSpan(FrameHeaderLength + payload.Length);
        span[0] = (byte)(payload.Length >> 16);
        span[1] = (byte)(payload.Length >> 8);
        span[2] = (byte)payload.Length;
        span[3] = type;
        span[4] = flags;
        BinaryPrimitives.WriteUInt32BigEndian(span[5..], stream);
        payload.CopyTo(span[FrameHeaderLength..]);
        sink.Advance(FrameHeaderLength + payload.Length);
    }

    private static void Copy(ReadOnlySequence<byte> bytes, PipeWriter sink)
    {
        foreach (var segment in bytes) sink.Write(segment.Span);
    }

    public async ValueTask DisposeAsync()
    {
        await _input.Reader.CompleteAsync().ConfigureAwait(false);
        _inner.Input.CancelPendingRead();
        try { await _pump.ConfigureAwait(false); } catch { /* the connection is gone */ }
    }
}
