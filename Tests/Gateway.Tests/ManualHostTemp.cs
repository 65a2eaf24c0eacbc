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
        await Task.Delay(TimeSpan.FromSeconds(150));
    }
}
