using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Coordinator.Gateway.Http;

/// <summary><c>GET /metrics</c> in the Prometheus text format: the process gauges every exporter has and the
/// etcd server gauges dashboards and alerts use most.</summary>
public sealed class MetricsEndpoint(ICoordinatorNode node, LeaderChangeCounter leaderChanges)
{
    public Task HandleAsync(HttpContext context)
    {
        context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
        return context.Response.WriteAsync(Render(), context.RequestAborted);
    }

    public string Render()
    {
        var text = new StringBuilder();
        using (var process = Process.GetCurrentProcess())
        {
            Gauge(text, "process_resident_memory_bytes", "Resident memory size in bytes.", "gauge", process.WorkingSet64);
            Gauge(text, "process_virtual_memory_bytes", "Virtual memory size in bytes.", "gauge", process.VirtualMemorySize64);
            Gauge(text, "process_cpu_seconds_total", "Total user and system CPU time spent in seconds.", "counter",
                process.TotalProcessorTime.TotalSeconds);
            Gauge(text, "process_start_time_seconds", "Start time of the process since unix epoch in seconds.", "gauge",
                new DateTimeOffset(process.StartTime.ToUniversalTime()).ToUnixTimeMilliseconds() / 1000.0);
            Gauge(text, "process_open_fds", "Number of open file descriptors.", "gauge", process.HandleCount);
        }
        // .NET's own view of memory, to tell live data from collectable garbage and fragmentation in the RSS.
        var gc = GC.GetGCMemoryInfo();
        Gauge(text, "dotnet_gc_heap_size_bytes", "GC heap size after the last collection, in bytes.", "gauge", gc.HeapSizeBytes);
        Gauge(text, "dotnet_gc_fragmented_bytes", "Free space inside the GC heap after the last collection, in bytes.", "gauge", gc.FragmentedBytes);
        Gauge(text, "dotnet_gc_committed_bytes", "Memory committed by the GC, in bytes.", "gauge", gc.TotalCommittedBytes);
        Gauge(text, "dotnet_gc_allocated_bytes_total", "Bytes allocated on the GC heap since the process started.", "counter", GC.GetTotalAllocatedBytes());
        Gauge(text, "dotnet_gc_pause_seconds_total", "Time the runtime was paused for garbage collection.", "counter", GC.GetTotalPauseDuration().TotalSeconds);
        Gauge(text, "dotnet_gc_gen0_collections_total", "Garbage collections of generation 0 since the process started.", "counter", GC.CollectionCount(0));
        Gauge(text, "dotnet_gc_gen2_collections_total", "Garbage collections of generation 2 since the process started.", "counter", GC.CollectionCount(2));
        var status = node.Status();
        Gauge(text, "etcd_server_has_leader", "Whether or not a leader exists. 1 is existence, 0 is not.", "gauge",
            node.LeaderId != 0 ? 1 : 0);
        Gauge(text, "etcd_server_is_leader", "Whether or not this member is a leader. 1 if is, 0 otherwise.", "gauge",
            node.LeaderId != 0 && node.LeaderId == node.MemberId ? 1 : 0);
        Gauge(text, "etcd_server_leader_changes_seen_total", "The number of leader changes seen.", "counter",
            leaderChanges.Changes);
        Gauge(text, "etcd_server_is_learner", "Whether or not this member is a learner. 1 if is, 0 otherwise.", "gauge",
            status.IsLearner ? 1 : 0);
        Gauge(text, "etcd_mvcc_db_total_size_in_bytes", "Total size of the underlying database physically allocated in bytes.",
            "gauge", status.DbSize);
        Gauge(text, "etcd_debugging_mvcc_current_revision", "The current revision of store.", "gauge",
            node.Store.CurrentRevision);
        return text.ToString();
    }

    private static void Gauge(StringBuilder text, string name, string help, string type, double value)
    {
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
        text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        text.Append(name).Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
    }
}
