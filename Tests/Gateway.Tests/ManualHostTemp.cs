using Xunit;
namespace Coordinator.Tests.Gateway;
public sealed class ManualHostTemp
{
    [Fact]
    public async Task Hold()
    {
        if (Environment.GetEnvironmentVariable("HOLD_HOST") != "1") return;
        await using var host = await GatewayHost.StartAsync();
        await File.WriteAllTextAsync("/tmp/gateway-port", host.Port.ToString());
        var end = DateTime.UtcNow.AddSeconds(150);
        var log = new System.Text.StringBuilder();
        while (DateTime.UtcNow < end)
        {
            await Task.Delay(100);
            if (ThreadPool.PendingWorkItemCount > 5)
                File.AppendAllText("/tmp/pool.log", $"{DateTime.UtcNow:HH:mm:ss.fff} pending={ThreadPool.PendingWorkItemCount} threads={ThreadPool.ThreadCount}\n");
        }
    }
}
