using System.Collections.Concurrent;
using Grpc.Core;

namespace Coordinator.Bench.Metrics;

/// <summary>Errors counted by label: gRPC status name, "HTTP 503", or the exception type.</summary>
public sealed class ErrorTally
{
    private readonly ConcurrentDictionary<string, long> _counts = new();
    private long _total;

    public long Total => Interlocked.Read(ref _total);

    public void Record(Exception e)
    {
        var label = e switch
        {
            RpcException r => StatusName(r.StatusCode),
            HttpRequestException h when h.InnerException is { } inner => $"{nameof(HttpRequestException)}({inner.GetType().Name})",
            _ => e.GetType().Name,
        };
        _counts.AddOrUpdate(label, 1, (_, n) => n + 1);
        Interlocked.Increment(ref _total);
    }

    /// <summary>The canonical name: DeadlineExceeded → DEADLINE_EXCEEDED.</summary>
    public static string StatusName(StatusCode code) =>
        string.Concat(code.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + c : char.ToUpperInvariant(c).ToString()));

    public IReadOnlyDictionary<string, long> Snapshot() => new SortedDictionary<string, long>(_counts);
}
