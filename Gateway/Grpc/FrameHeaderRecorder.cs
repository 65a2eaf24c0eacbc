using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;

namespace Coordinator.Gateway.Grpc;

/// <summary>
/// The request body as Grpc.AspNetCore reads it, remembering the length field of the frame header at the start of
/// the last buffer it returned. Grpc.AspNetCore consumes exactly one message per read, so a buffer starts at a frame
/// header; when it refuses a frame as too large, that is the one. Owned by one request.
/// </summary>
internal sealed class FrameHeaderRecorder(PipeReader inner) : PipeReader, IRequestBodyPipeFeature
{
    private const int HeaderLength = 5;

    /// <summary>The declared length of the last frame seen at a buffer's start, or -1.</summary>
    public long LastDeclaredLength { get; private set; } = -1;

    PipeReader IRequestBodyPipeFeature.Reader => this;

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        var read = inner.ReadAsync(cancellationToken);
        if (!read.IsCompletedSuccessfully) return AwaitAsync(read);
        var result = read.Result;
        Remember(result.Buffer);
        return new ValueTask<ReadResult>(result);
    }

    private async ValueTask<ReadResult> AwaitAsync(ValueTask<ReadResult> read)
    {
        var result = await read.ConfigureAwait(false);
        Remember(result.Buffer);
        return result;
    }

    public override bool TryRead(out ReadResult result)
    {
        if (!inner.TryRead(out result)) return false;
        Remember(result.Buffer);
        return true;
    }

    private void Remember(ReadOnlySequence<byte> buffer)
    {
        if (buffer.Length < HeaderLength) return;
        Span<byte> header = stackalloc byte[HeaderLength];
        buffer.Slice(0, HeaderLength).CopyTo(header);
        LastDeclaredLength = BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
    }

    public override void AdvanceTo(SequencePosition consumed) => inner.AdvanceTo(consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined) => inner.AdvanceTo(consumed, examined);

    public override void CancelPendingRead() => inner.CancelPendingRead();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);
}
