using Etcdserverpb;

namespace Coordinator.Grains.Store;

/// <summary>
/// Evaluates one txn guard with etcd's rules: over a range every key must satisfy it; a missing key
/// compares as all-zero fields, except that a value comparison on a missing key always fails.
/// </summary>
internal static class TxnCompare
{
    public static bool Holds(KeyIndex index, ValueArena values, Compare compare, long revision)
    {
        var range = KeyRange.From(compare.Key, compare.RangeEnd);
        var any = false;
        var cursor = index.Seek(range.Key);
        while (cursor.TryNext(out var history))
        {
            if (range.IsPastEnd(history.Key)) break;
            if (!history.TryGetVisible(revision, out var record)) continue;
            any = true;
            if (!Satisfies(compare, record, values.Span(record.Value))) return false;
        }
        if (any) return true;
        return compare.Target != Compare.Types.CompareTarget.Value && Satisfies(compare, default, []);
    }

    private static bool Satisfies(Compare compare, in KeyRecord record, ReadOnlySpan<byte> value)
    {
        var order = compare.Target switch
        {
            Compare.Types.CompareTarget.Value => ByteKeyComparer.CompareKeys(
                value, compare.TargetUnionCase == Compare.TargetUnionOneofCase.Value ? compare.Value.Span : []),
            Compare.Types.CompareTarget.Create => record.CreateRevision.CompareTo(
                compare.TargetUnionCase == Compare.TargetUnionOneofCase.CreateRevision ? compare.CreateRevision : 0),
            Compare.Types.CompareTarget.Mod => record.Main.CompareTo(
                compare.TargetUnionCase == Compare.TargetUnionOneofCase.ModRevision ? compare.ModRevision : 0),
            Compare.Types.CompareTarget.Version => record.Version.CompareTo(
                compare.TargetUnionCase == Compare.TargetUnionOneofCase.Version ? compare.Version : 0),
            Compare.Types.CompareTarget.Lease => record.Lease.CompareTo(
                compare.TargetUnionCase == Compare.TargetUnionOneofCase.Lease ? compare.Lease : 0),
            _ => 0,
        };
        return compare.Result switch
        {
            Compare.Types.CompareResult.Equal => order == 0,
            Compare.Types.CompareResult.NotEqual => order != 0,
            Compare.Types.CompareResult.Greater => order > 0,
            Compare.Types.CompareResult.Less => order < 0,
            _ => true,
        };
    }
}
