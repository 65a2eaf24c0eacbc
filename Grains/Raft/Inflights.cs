namespace Coordinator.Grains.Raft;

/// <summary>
/// The last indexes of appends sent to one follower and not yet acked: a bounded window, so a slow
/// follower cannot make the leader buffer without limit. Indexes are strictly increasing.
/// </summary>
internal sealed class Inflights
{
    private readonly Queue<ulong> _lastIndexes = new();
    public int Capacity { get; }
    public Inflights(int capacity) => Capacity = capacity;
    public int Count => _lastIndexes.Count;
    public bool Full => _lastIndexes.Count >= Capacity;
    public void Add(ulong lastIndex) => _lastIndexes.Enqueue(lastIndex);
    /// <summary>Acks everything up to and including <paramref name="index"/>.</summary>
    public void FreeTo(ulong index)
    {
        while (_lastIndexes.Count > 0 && _lastIndexes.Peek() <= index) _lastIndexes.Dequeue();
    }
    public void FreeFirst() { if (_lastIndexes.Count > 0) _lastIndexes.Dequeue(); }
    public void Clear() => _lastIndexes.Clear();
}
