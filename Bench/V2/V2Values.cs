using Coordinator.Bench.Running;

namespace Coordinator.Bench.V2;

/// <summary>Keys and values of the v2 workloads: v2 values are text, so val-size random letters.</summary>
public static class V2Values
{
    public static string Make(int size, int seed)
    {
        var random = new Random(seed);
        return new string(Enumerable.Range(0, Math.Max(0, size)).Select(_ => (char)('a' + random.Next(26))).ToArray());
    }

    /// <summary>Key number <paramref name="n"/> under the run's prefix, zero-padded to key-size when it fits.</summary>
    public static string Key(BenchOptions options, long n)
    {
        var head = options.KeyPrefix + "v2/";
        return head + n.ToString().PadLeft(Math.Max(1, options.KeySize - head.Length), '0');
    }
}
