using Xunit.Abstractions;
using Xunit.Sdk;

namespace Coordinator.Tests.Nemesis;

/// <summary>What the nemesis runs of this test process checked together: the CI's evidence is the sum over the
/// 3- and 5-member runs. Shared by the tests of <see cref="NemesisTests"/>; each total is also sent as an xUnit
/// diagnostic message (xunit.runner.json enables them), which the console logger shows at every verbosity.</summary>
public sealed class NemesisSuiteTotal(IMessageSink diagnostics)
{
    private readonly object _gate = new();
    private readonly List<NemesisReport> _reports = new();

    /// <summary>Adds a finished run and describes the total so far.</summary>
    public string Add(NemesisReport report)
    {
        string text;
        lock (_gate)
        {
            _reports.Add(report);
            var runs = string.Join(", ", _reports.Select(r => $"{r.Members} members seed {r.Seed}: {r.Operations}"));
            text = $"nemesis suite so far: {_reports.Sum(r => r.Operations)} checked operations, " +
                   $"{_reports.Sum(r => r.Faults.Values.Sum())} faults, {_reports.Sum(r => r.Anomalies.Count)} anomalies in {_reports.Count} runs ({runs})";
        }
        diagnostics.OnMessage(new DiagnosticMessage(text));
        return text;
    }
}
