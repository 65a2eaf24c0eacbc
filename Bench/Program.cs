using Coordinator.Bench;
using Coordinator.Bench.CheckPerf;
using Coordinator.Bench.Comparison;
using Coordinator.Bench.Metrics;
using Coordinator.Bench.Running;
using Coordinator.Bench.Workloads;

// coordinator-bench <workload> --endpoints h:p[,h:p...] [options]  |  compare [options]  |  check-perf [options]  |  null-server --port P
var parser = new OptionParser(args);
if (parser.Positional.Count == 0 || parser.Has("help"))
{
    Console.WriteLine(Usage.Text);
    return parser.Positional.Count == 0 && !parser.Has("help") ? 2 : 0;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true; // let finally blocks stop the servers we started
    cancel.Cancel();
};

try
{
    var command = parser.Positional[0];
    if (command == "compare")
    {
        var compareOptions = CompareOptionsReader.Read(parser);
        parser.RejectUnknown();
        return await new CompareCommand(compareOptions).RunAsync(cancel.Token);
    }
    if (command == "check-perf")
    {
        var checkPerfOptions = CheckPerfOptionsReader.Read(parser);
        parser.RejectUnknown();
        return await new CheckPerfCommand(checkPerfOptions).RunAsync(cancel.Token);
    }
    if (command == "null-server")
    {
        var port = parser.Int("port", 2379);
        parser.RejectUnknown();
        if (port is < 1 or > 65535) throw new ArgumentException($"--port must be 1 to 65535 (got {port})");
        await NullEtcdServer.RunAsync(port, cancel.Token);
        return 0;
    }
    if (!WorkloadCatalog.Descriptions.ContainsKey(command))
        throw new ArgumentException($"unknown workload '{command}' (see --help)");
    var options = BenchOptionsReader.Read(command, parser);
    parser.RejectUnknown();
    var report = await SingleRun.RunAsync(options, cancel.Token);
    ReportPrinter.Print(report, options.Json, Console.Out);
    return report.ErrorCount > 0 && report.Operations == 0 ? 1 : 0;
}
catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine("error: " + e.Message);
    return 2;
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    Console.Error.WriteLine("interrupted");
    return 130;
}
