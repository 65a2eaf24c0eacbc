using Coordinator.Grains.Store;

namespace Coordinator.Silo.Storage;

/// <summary>
/// Write-only stream of a snapshot's data into its file: buffers writes into large appends and folds every
/// byte into the file's CRC (seeded with the header bytes the CRC covers). Owned by one save; does not own the file.
/// </summary>
internal sealed class SnapshotDataStream : Stream
{
    private const int BufferBytes = 1 << 20;
    private readonly IWalFile _file;
    private readonly byte[] _buffer = new byte[BufferBytes];
    private int _buffered;
    private Crc32C _crc = new();

    private readonly SnapshotWritePace _pace;
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private long _appended;
    private long _unsynced;

    public SnapshotDataStream(IWalFile file, ReadOnlySpan<byte> coveredHeader, SnapshotWritePace pace = default)
    {
        _file = file;
        _pace = pace;
        _crc.Append(coveredHeader);
    }

    /// <summary>Data bytes written so far (buffered or appended).</summary>
    public long Written { get; private set; }

    /// <summary>CRC of the covered header and the data; complete after <see cref="Flush"/>.</summary>
    public uint Crc => _crc.Value;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => Written;
    public override long Position { get => Written; set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> data)
    {
        _crc.Append(data);
        Written += data.Length;
        while (!data.IsEmpty)
        {
            var n = Math.Min(data.Length, BufferBytes - _buffered);
            data[..n].CopyTo(_buffer.AsSpan(_buffered));
            _buffered += n;
            data = data[n..];
            if (_buffered == BufferBytes) Drain();
        }
    }

    /// <summary>Appends what is buffered to the file (not an fsync: the save flushes the file).</summary>
    public override void Flush() => Drain();

    private void Drain()
    {
        if (_buffered == 0) return;
        _file.Append(_buffer.AsSpan(0, _buffered));
        _appended += _buffered;
        _unsynced += _buffered;
        _buffered = 0;
        // Flushing as it goes keeps the kernel from holding the whole file dirty until the final fsync, which
        // would then queue the disk behind it while commits wait; sleeping when ahead of the rate leaves CPU.
        if (_pace.SyncEveryBytes > 0 && _unsynced >= _pace.SyncEveryBytes)
        {
            _file.Flush();
            _unsynced = 0;
        }
        if (_pace.BytesPerSecond > 0)
        {
            var ahead = TimeSpan.FromSeconds((double)_appended / _pace.BytesPerSecond) - _clock.Elapsed;
            if (ahead > TimeSpan.Zero) Thread.Sleep(ahead);
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
