namespace Coordinator.Grains.Raft;

/// <summary>What an entry's payload means to the replica.</summary>
public enum EntryType : byte
{
    /// <summary>Opaque host data (a client request), or empty (the no-op a new leader appends).</summary>
    Normal = 0,
    /// <summary>A <see cref="ConfigChange"/>, applied to the membership when the entry is applied.</summary>
    ConfigChange = 1,
}

/// <summary>One log entry. Immutable; <see cref="Data"/> is never mutated after construction.</summary>
public sealed record Entry(ulong Index, ulong Term, EntryType Type, ReadOnlyMemory<byte> Data)
{
    public Entry(ulong index, ulong term) : this(index, term, EntryType.Normal, ReadOnlyMemory<byte>.Empty) { }

    /// <summary>Bytes this entry counts for in size limits (payload plus a fixed header estimate).</summary>
    public long Size => SizeOf(Data.Length);

    /// <summary>The <see cref="Size"/> of an entry with <paramref name="dataLength"/> payload bytes.</summary>
    public static long SizeOf(int dataLength) => dataLength + 24L;

    public bool Equals(Entry? other) =>
        other is not null && Index == other.Index && Term == other.Term && Type == other.Type &&
        Data.Span.SequenceEqual(other.Data.Span);

    public override int GetHashCode() => HashCode.Combine(Index, Term, Type, Data.Length);

    public override string ToString() =>
        Type == EntryType.ConfigChange ? $"{Term}/{Index} {ConfigChange.Decode(Data.Span)}"
        : Data.IsEmpty ? $"{Term}/{Index} EMPTY" : $"{Term}/{Index} {Data.Length}B";
}
