namespace Coordinator.Grains.Store;

/// <summary>
/// Where a stored value's bytes are: <see cref="Length"/> bytes at <see cref="Offset"/> of chunk
/// <see cref="Chunk"/> of a <see cref="ValueArena"/>. Holds no object reference, so arrays of records
/// carrying it are never scanned by the GC. The default is the empty value.
/// </summary>
internal readonly record struct ValueRef(int Chunk, int Offset, int Length)
{
    public bool IsEmpty => Length == 0;
}
