namespace Coordinator.Tests.Nemesis;

/// <summary>What the nemesis runs of this test process checked together: the CI's evidence is the sum over the
/// 3- and 5-member runs.</summary>
internal static class NemesisSuiteTotal
{
    private static readonly object Gate = new();
    private static readonly List<NemesisReport> Reports = new();

    /// <summary>Adds a finished run and describes the total so far.</summary>
    public static string Add(NemesisReport report)
    {
        lock (Gate)
        {
            Reports.Add(report);
            var runs = string.Join(", ", Reports.Select(r => $"{r.Members} members seed {r.Seed}: {r.Operations}"));
            return $"nemesis suite so far: {Reports.Sum(r => r.Operations)} checked operations, " +
                   $"{Reports.Sum(r => r.Faults.Values.Sum())} faults, {Reports.Sum(r => r.Anomalies.Count)} anomalies in {Reports.Count} runs ({runs})";
        }
    }
}
