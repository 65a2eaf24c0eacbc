namespace Coordinator.Tests.Transport;

/// <summary>Polls a condition with a generous deadline; tests never assert durations.</summary>
internal static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    public static async Task TrueAsync(Func<bool> condition, string what, TimeSpan? timeout = null, Action? eachPoll = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out waiting for: {what}");
            eachPoll?.Invoke();
            await Task.Delay(20);
        }
    }
}
