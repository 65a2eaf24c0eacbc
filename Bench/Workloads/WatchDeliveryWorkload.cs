using System.Buffers.Binary;
using Coordinator.Bench.Etcd;
using Coordinator.Bench.Metrics;
using Coordinator.Bench.Running;
using Etcdserverpb;
using Google.Protobuf;
using Mvccpb;

namespace Coordinator.Bench.Workloads;

/// <summary>
/// `watch-latency` and `watch-fanout`: --watchers watchers (one Watch stream each) watch a prefix while the callers
/// put keys under it. Every value starts with its send time, so each watcher measures put → event delivered
/// ("delivery"); "delivered" counts events received by all watchers (events/s = fan-out throughput).
/// </summary>
public sealed class WatchDeliveryWorkload(WorkloadContext context, string name) : Workload(context)
{
    private readonly List<WatchStream> _streams = [];
    private LatencyHistogram[] _delivery = [];
    private long[] _delivered = [];
    private volatile bool _measuring;
    private long _nextKey;

    public override string OperationName => $"put watched by {Options.Watchers} ({name})";

    public override IEnumerable<(string Name, LatencyHistogram Histogram)> Extra()
    {
        var all = new LatencyHistogram();
        foreach (var h in _delivery) all.Add(h);
        yield return ("delivery", all);
    }

    public override IEnumerable<(string Name, long Value)> Counters() =>
        [("delivered", _delivered.Sum()), ("watchers", Options.Watchers)];

    public override async Task SetupAsync(CancellationToken ct)
    {
        var prefix = ByteString.CopyFromUtf8(Options.KeyPrefix + "watch/");
        _delivery = NewHistograms();
        _delivered = new long[Options.Watchers];
        for (var w = 0; w < Options.Watchers; w++)
        {
            var stream = Context.Pool.For(w).OpenWatch(ct);
            _streams.Add(stream);
            var watcher = w;
            await stream.CreateAsync(new WatchCreateRequest { Key = prefix, RangeEnd = KeyRange.PrefixEnd(prefix) }, r => OnEvents(watcher, r));
        }
    }

    public override void BeginMeasurement()
    {
        _delivery = NewHistograms();
        _delivered = new long[Options.Watchers];
        _measuring = true;
    }

    public override async ValueTask ExecuteAsync(int caller, CancellationToken ct)
    {
        var value = new byte[Math.Max(8, Options.ValSize)];
        BinaryPrimitives.WriteInt64LittleEndian(value, Clock.NowNanos());
        var key = Context.Key("watch/", Interlocked.Increment(ref _nextKey) % Options.KeySpace);
        await Context.Client(caller).PutAsync(new PutRequest { Key = key, Value = UnsafeByteOperations.UnsafeWrap(value) }, ct);
    }

    /// <summary>Runs on the watcher's stream reader: one thread per watcher, so its histogram needs no lock.</summary>
    private void OnEvents(int watcher, WatchResponse response)
    {
        if (!_measuring)
            return;
        var now = Clock.NowNanos();
        foreach (var e in response.Events)
        {
            if (e.Type != Event.Types.EventType.Put || e.Kv.Value.Length < 8)
                continue;
            _delivery[watcher].Record(now - BinaryPrimitives.ReadInt64LittleEndian(e.Kv.Value.Span));
            _delivered[watcher]++;
        }
    }

    private LatencyHistogram[] NewHistograms() => Enumerable.Range(0, Options.Watchers).Select(_ => new LatencyHistogram()).ToArray();

    public override async ValueTask DisposeAsync()
    {
        _measuring = false;
        foreach (var s in _streams)
            await s.DisposeAsync();
    }
}
