using Coordinator.Bench.CheckPerf;
using Xunit;

namespace Coordinator.Tests.Bench;

/// <summary>Reading what etcdctl 3.4's `check perf` prints: a progress bar redrawn with carriage returns, then
/// PASS/FAIL lines and a final verdict.</summary>
public class EtcdctlCheckPerfParseTests
{
    [Fact]
    public void A_failing_run_gives_its_rate_latencies_and_verdict()
    {
        const string output = " 0 / 480000 [----------]   0.00%\r 240000 / 480000 [=====>-----]  50.00% 30s\r 480000 / 480000 [==========] 100.00% 1m0s\n" +
                              "FAIL: Throughput too low: 3844 writes/s\nPASS: Slowest request took 0.272685s\nPASS: Stddev is 0.011304s\nFAIL\n";

        var r = EtcdctlCheckPerf.Parse(output, cpuSeconds: 21.5, exitCode: 1);

        Assert.False(r.Passed);
        Assert.Equal(3844, r.WritesPerSecond);
        Assert.Equal(0.272685, r.SlowestSeconds);
        Assert.Equal(0.011304, r.StddevSeconds);
        Assert.Equal(21.5, r.EtcdctlCpuSeconds);
        Assert.Equal(["FAIL: Throughput too low: 3844 writes/s", "PASS: Slowest request took 0.272685s", "PASS: Stddev is 0.011304s", "FAIL"], r.Verdicts);
    }

    [Fact]
    public void A_passing_run_needs_the_final_PASS_and_exit_code_zero()
    {
        const string output = "PASS: Throughput is 7316 writes/s\nPASS: Slowest request took 0.143812s\nPASS: Stddev is 0.002067s\nPASS\n";

        Assert.True(EtcdctlCheckPerf.Parse(output, 1, exitCode: 0).Passed);
        Assert.Equal(7316, EtcdctlCheckPerf.Parse(output, 1, exitCode: 0).WritesPerSecond);
        Assert.False(EtcdctlCheckPerf.Parse(output, 1, exitCode: 1).Passed);
    }

    [Fact]
    public void A_verdict_glued_to_the_last_progress_frame_is_still_read()
    {
        const string output = " 59 / 60 [=========>]  98.33% 00m01s\r 59 / 60 [=========>]  98.33%PASS: Throughput is 151 writes/s\n" +
                              "PASS: Slowest request took 0.007339s\nPASS: Stddev is 0.000277s\nPASS\n";

        var r = EtcdctlCheckPerf.Parse(output, 1, exitCode: 0);

        Assert.True(r.Passed);
        Assert.Equal(151, r.WritesPerSecond);
        Assert.Equal("PASS: Throughput is 151 writes/s", r.Verdicts[0]);
    }

    [Fact]
    public void A_run_that_never_measured_reports_no_numbers_and_keeps_the_error()
    {
        const string output = "Error: context deadline exceeded\n";

        var r = EtcdctlCheckPerf.Parse(output, 0.1, exitCode: 1);

        Assert.False(r.Passed);
        Assert.Null(r.WritesPerSecond);
        Assert.Null(r.SlowestSeconds);
        Assert.Equal(["Error: context deadline exceeded"], r.Verdicts);
    }
}
