using Xunit;
using Xunit.Abstractions;

namespace Coordinator.Tests.Nemesis;

/// <summary>
/// Real clusters of 3 and 5 members under every fault kind, all workloads at once, every history checked.
/// COORDINATOR_NEMESIS_SEED=n replays a fault schedule (the default seed changes every day, so CI keeps
/// exploring); COORDINATOR_NEMESIS_DURATION=30m (or 90s, 2h) makes a run a soak.
/// </summary>
[Trait("Category", "Nemesis")]
public sealed class NemesisTests(ITestOutputHelper output, NemesisSuiteTotal total) : IClassFixture<NemesisSuiteTotal>
{
    private static readonly TimeSpan DefaultDuration = TimeSpan.FromSeconds(150);

    [Fact]
    public Task ThreeMembers_KeepEveryGuarantee_UnderFaults() => RunAsync(3);

    [Fact]
    public Task FiveMembers_KeepEveryGuarantee_UnderFaults() => RunAsync(5);

    private async Task RunAsync(int members)
    {
        Assert.True(Integration.Faults.NetworkLab.Unavailable() is null, Integration.Faults.NetworkLab.Unavailable());
        var seed = Seed();
        var duration = Duration();
        var report = await NemesisRun.RunAsync(members, seed, duration, output.WriteLine);
        output.WriteLine(report.ToString());
        output.WriteLine(total.Add(report));
        var replay = $"COORDINATOR_NEMESIS_SEED={seed} dotnet test Tests/Nemesis.Tests --filter \"FullyQualifiedName~{(members == 3 ? "Three" : "Five")}Members\" --logger \"console;verbosity=detailed\"";
        Assert.True(report.Anomalies.Count == 0, $"{report}\nreplay: {replay}");
        Assert.True(report.Operations >= 5_000, $"too few checked operations to mean anything: {report}");
        foreach (var (kind, count) in report.Faults)
            Assert.True(count > 0 || kind == FaultKind.MembershipChurn && duration < TimeSpan.FromSeconds(60), $"fault {kind} never applied: {report}");
    }

    /// <summary>From the environment, else one per day (UTC), the same for every run of that day.</summary>
    internal static int Seed() =>
        int.TryParse(Environment.GetEnvironmentVariable("COORDINATOR_NEMESIS_SEED"), out var seed)
            ? seed : (int)(DateTime.UtcNow.Date - new DateTime(2026, 1, 1)).TotalDays;

    internal static TimeSpan Duration()
    {
        var text = Environment.GetEnvironmentVariable("COORDINATOR_NEMESIS_DURATION");
        if (string.IsNullOrEmpty(text)) return DefaultDuration;
        var unit = text[^1];
        if (!double.TryParse(char.IsDigit(unit) ? text : text[..^1], System.Globalization.CultureInfo.InvariantCulture, out var n) || n <= 0)
            throw new ArgumentException($"COORDINATOR_NEMESIS_DURATION must look like 90s, 30m or 2h, got '{text}'");
        return unit switch { 'h' => TimeSpan.FromHours(n), 'm' => TimeSpan.FromMinutes(n), _ => TimeSpan.FromSeconds(n) };
    }
}
