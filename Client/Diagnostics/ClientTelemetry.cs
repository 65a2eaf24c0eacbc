using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Coordinator.Client.Diagnostics;

/// <summary>Metrics (Meter "Coordinator.Client") and traces (ActivitySource "Coordinator.Client").
/// Process-wide, like the names: several clients in one process add to the same instruments.</summary>
internal static class ClientTelemetry
{
    public const string Name = "Coordinator.Client";

    public static readonly ActivitySource ActivitySource = new(Name);
    public static readonly Meter Meter = new(Name);

    public static readonly Counter<long> Calls = Meter.CreateCounter<long>("coordinator.client.calls", description: "RPCs started (unary and streams)");
    public static readonly Counter<long> Errors = Meter.CreateCounter<long>("coordinator.client.errors", description: "RPCs that failed after all retries");
    public static readonly Counter<long> Failovers = Meter.CreateCounter<long>("coordinator.client.failovers", description: "attempts retried on another endpoint");
    public static readonly Counter<long> WatchResumes = Meter.CreateCounter<long>("coordinator.client.watch.resumes", description: "watches re-created after a broken stream");
    public static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("coordinator.client.call.duration", unit: "ms", description: "unary RPC duration, retries included");

    public static Activity? StartCall(string path)
    {
        var activity = ActivitySource.StartActivity(path.TrimStart('/'), ActivityKind.Client);
        activity?.SetTag("rpc.system", "grpc");
        activity?.SetTag("rpc.method", path);
        return activity;
    }

    public static KeyValuePair<string, object?> MethodTag(string path) => new("rpc.method", path);
}
