using System.Globalization;

namespace Coordinator.Orleans.Streams;

/// <summary>A place in a prefix's change history: the revision and the index of the change within it (a Txn can
/// change several keys at one revision). <see cref="Index"/> = <see cref="WholeRevision"/> means every change of
/// the revision.</summary>
internal readonly record struct StreamPosition(long Revision, int Index) : IComparable<StreamPosition>
{
    public const int WholeRevision = int.MaxValue;

    /// <summary>The revision a watch starts at to see everything after this position.</summary>
    public long WatchFrom => Index == WholeRevision ? Revision + 1 : Revision;

    public int CompareTo(StreamPosition other) => (Revision, Index).CompareTo((other.Revision, other.Index));

    public static bool operator <(StreamPosition a, StreamPosition b) => a.CompareTo(b) < 0;
    public static bool operator >(StreamPosition a, StreamPosition b) => a.CompareTo(b) > 0;
    public static bool operator <=(StreamPosition a, StreamPosition b) => a.CompareTo(b) <= 0;
    public static bool operator >=(StreamPosition a, StreamPosition b) => a.CompareTo(b) >= 0;

    /// <summary>Fixed-width text, so that the store's byte-wise value compare orders positions correctly.</summary>
    public string Format() => string.Create(CultureInfo.InvariantCulture, $"{Revision:D19}:{Index:D10}");

    public static StreamPosition? Parse(string text)
    {
        var colon = text.IndexOf(':');
        return colon > 0
            && long.TryParse(text.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var revision)
            && int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            ? new StreamPosition(revision, index)
            : null;
    }
}
