using System.Diagnostics;
using Coordinator.Bench.CheckPerf;
using Xunit;

namespace Coordinator.Tests.Bench;

public class CpuClockTests
{
    [Fact]
    public void A_live_process_has_cpu_time_and_a_missing_one_has_none()
    {
        Assert.True(CpuClock.OfProcess(Environment.ProcessId) > 0);
        Assert.Null(CpuClock.OfProcess(int.MaxValue));
    }

    [Fact]
    public async Task The_cpu_of_a_child_is_counted_once_it_has_been_reaped()
    {
        var before = CpuClock.OfReapedChildren();
        // A shell loop long enough to accumulate several clock ticks of CPU.
        var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done");
        using var child = Process.Start(psi)!;
        await child.WaitForExitAsync();

        Assert.True(CpuClock.OfReapedChildren() - before >= 0.02, $"child CPU {CpuClock.OfReapedChildren() - before}");
    }

    [Fact]
    public void Machine_idle_time_never_goes_backwards()
    {
        var first = CpuClock.MachineIdle();
        Assert.True(CpuClock.MachineIdle() >= first);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-0.5)]
    [InlineData(1.5)]
    public void A_burner_takes_only_a_fraction_of_one_core(double fraction)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CpuBurner(fraction));
    }
}
