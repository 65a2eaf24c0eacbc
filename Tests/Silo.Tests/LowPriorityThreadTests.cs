using Coordinator.Silo.Hosting;
using Xunit;

namespace Coordinator.Tests.Silo;

public class LowPriorityThreadTests
{
    [Fact]
    public async Task Work_runs_on_its_own_thread_at_a_lowered_priority_and_returns_its_result()
    {
        var caller = Environment.CurrentManagedThreadId;
        var (thread, nice, name) = await LowPriorityThread.Run("low priority test",
            () => (Environment.CurrentManagedThreadId, LowPriorityThread.CurrentThreadNice(), Thread.CurrentThread.Name));

        Assert.NotEqual(caller, thread);
        Assert.Equal("low priority test", name);
        if (OperatingSystem.IsLinux()) Assert.Equal(LowPriorityThread.Nice, nice);
        // The continuation's thread is not low priority: threads inherit their creator's nice value, so the
        // low-priority thread must not be the one that completes the task (the pool may create a worker there).
        if (OperatingSystem.IsLinux()) Assert.NotEqual(LowPriorityThread.Nice, LowPriorityThread.CurrentThreadNice());
    }

    [Fact]
    public async Task A_failure_in_the_work_faults_the_task()
    {
        var run = LowPriorityThread.Run<int>("failing", () => throw new IOException("disk full"));
        var error = await Assert.ThrowsAsync<IOException>(() => run);
        Assert.Equal("disk full", error.Message);
    }
}
