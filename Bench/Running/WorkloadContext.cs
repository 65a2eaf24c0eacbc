using Coordinator.Bench.Etcd;
using Google.Protobuf;

namespace Coordinator.Bench.Running;

/// <summary>What every workload gets: its options, the connections, and key/value makers.</summary>
public sealed class WorkloadContext(BenchOptions options, ConnectionPool pool)
{
    public BenchOptions Options { get; } = options;
    public ConnectionPool Pool { get; } = pool;

    /// <summary>The value every write carries: val-size random bytes (fixed seed).</summary>
    public ByteString Value { get; } = RandomValue(options.ValSize, options.Seed);

    /// <summary>Key number <paramref name="n"/> under the prefix and <paramref name="section"/>, zero-padded to key-size bytes when it fits.</summary>
    public ByteString Key(string section, long n)
    {
        var head = Options.KeyPrefix + section;
        var digits = Math.Max(1, Options.KeySize - head.Length);
        return ByteString.CopyFromUtf8(head + n.ToString().PadLeft(digits, '0'));
    }

    public EtcdClient Client(int caller) => Pool.For(caller);

    public static ByteString RandomValue(int size, int seed)
    {
        var bytes = new byte[Math.Max(0, size)];
        new Random(seed).NextBytes(bytes);
        return UnsafeByteOperations.UnsafeWrap(bytes);
    }
}
