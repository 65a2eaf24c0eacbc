namespace Coordinator.Silo.Storage;

/// <summary>
/// Prepares the next WAL segment before it is needed (etcd's file pipeline): a spare file in the WAL
/// directory holding the segment size in zeros, actually written and fsynced, so its blocks are allocated
/// and appends to the segment it becomes overwrite them: an fdatasync then commits data, not file size or
/// block allocation. A roll takes the spare, waiting only if it is not ready yet, and the next one starts.
/// The spare's name is not a segment name, so recovery never reads it. A roll renames it (durably) before
/// writing to it, so a spare left by an earlier run holds only zeros: it is reused when complete (checked),
/// else rewritten. Owned by the writer loop (and Open, before the loop starts).
/// </summary>
internal sealed class SegmentPipeline : IDisposable
{
    public const string SpareFileName = "segment.spare";
    private const int ChunkSize = 1 << 20;

    private readonly IWalFileSystem _fs;
    private readonly string _sparePath;
    private readonly long _size;
    private readonly bool _background;
    private readonly CancellationTokenSource _stopping = new();
    private Task? _spare; // preparing or ready; null when none is under way

    /// <param name="size">Bytes of zeros per segment; 0 makes plain empty segments that grow by appending.</param>
    /// <param name="background">False: the spare is prepared by the roll that takes it (deterministic, for tests).</param>
    public SegmentPipeline(IWalFileSystem fs, string walDirectory, long size, bool background)
    {
        _fs = fs;
        _sparePath = Path.Combine(walDirectory, SpareFileName);
        _size = size;
        _background = background;
    }

    /// <summary>Starts preparing the next spare in the background, unless one is under way or ready.</summary>
    public void PrepareNext()
    {
        // A thread of its own: the writer may block on it at a roll, and must not wait for a pool thread.
        if (_background && _spare is null)
            _spare = Task.Factory.StartNew(() => Prepare(_stopping.Token), _stopping.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>Renames the spare (prepared now if none is under way) to <paramref name="segmentPath"/> and
    /// starts the next one. The caller makes the new name durable (directory fsync). Throws when preparing failed.</summary>
    public void TakeAs(string segmentPath)
    {
        if (_spare is null) Prepare(CancellationToken.None);
        else _spare.GetAwaiter().GetResult();
        _spare = null;
        _fs.Rename(_sparePath, segmentPath);
        PrepareNext();
    }

    private void Prepare(CancellationToken cancellationToken)
    {
        using var file = _fs.OpenAppend(_sparePath);
        if (_size > 0 && file.Length == _size && HoldsOnlyZeros(cancellationToken)) return;
        if (file.Length != 0) file.Truncate(0);
        var zeros = new byte[(int)Math.Min(ChunkSize, _size)];
        for (long written = 0; written < _size; written += zeros.Length)
        {
            cancellationToken.ThrowIfCancellationRequested();
            file.Append(zeros.AsSpan(0, (int)Math.Min(zeros.Length, _size - written)));
        }
        file.Flush();
    }

    private bool HoldsOnlyZeros(CancellationToken cancellationToken)
    {
        var buffer = new byte[(int)Math.Min(ChunkSize, _size)];
        for (long offset = 0; offset < _size; offset += buffer.Length)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var length = (int)Math.Min(buffer.Length, _size - offset);
            if (_fs.ReadAt(_sparePath, offset, buffer.AsSpan(0, length)) != length) return false;
            if (buffer.AsSpan(0, length).IndexOfAnyExcept((byte)0) >= 0) return false;
        }
        return true;
    }

    /// <summary>Stops a preparation under way and waits for it; its error, if any, no longer matters.</summary>
    public void Dispose()
    {
        _stopping.Cancel();
        try { _spare?.GetAwaiter().GetResult(); }
        catch (Exception) { } // an unfinished spare is rewritten by the next open
        _stopping.Dispose();
    }
}
