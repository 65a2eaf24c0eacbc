using System.Globalization;

namespace Coordinator.Bench.Comparison;

/// <summary>
/// Samples per (section, metric, server), kept in insertion order, and the comparison table built from their
/// medians: etcd, Coordinator, and the ratio Coordinator/etcd, with the min–max spread of each.
/// </summary>
public sealed class SampleTable
{
    private readonly List<(string Section, string Metric, bool HigherIsBetter)> _order = [];
    private readonly Dictionary<(string, string, string), List<double>> _samples = [];
    private readonly Dictionary<(string, string, string), string> _notes = [];

    public void Add(string section, string metric, bool higherIsBetter, string server, double? value, string? note = null)
    {
        if (!_order.Any(o => o.Section == section && o.Metric == metric))
            _order.Add((section, metric, higherIsBetter));
        var key = (section, metric, server);
        if (!_samples.TryGetValue(key, out var list))
            _samples[key] = list = [];
        if (value is { } v)
            list.Add(v);
        else if (note is not null)
            _notes[key] = note;
    }

    public static double Median(IReadOnlyList<double> xs)
    {
        var s = xs.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }

    public double? MedianOf(string section, string metric, string server) =>
        _samples.TryGetValue((section, metric, server), out var l) && l.Count > 0 ? Median(l) : null;

    public string Render(string left = "etcd", string right = "coordinator")
    {
        var lines = new List<string>
        {
            $"| members | row | metric | {left} median [min–max] | {right} median [min–max] | {right}/{left} | better |",
            "|---|---|---|---|---|---|---|",
        };
        foreach (var (section, metric, higher) in _order)
        {
            var parts = section.Split('|', 2);
            string Cell(string server)
            {
                var key = (section, metric, server);
                if (!_samples.TryGetValue(key, out var l) || l.Count == 0)
                    return _notes.TryGetValue(key, out var n) ? n : "n/a";
                return l.Count == 1 ? F(l[0]) : $"{F(Median(l))} [{F(l.Min())}–{F(l.Max())}] n={l.Count}";
            }
            var a = MedianOf(section, metric, left);
            var b = MedianOf(section, metric, right);
            var ratio = a is > 0 && b is { } bv ? (bv / a.Value).ToString("F2", CultureInfo.InvariantCulture) : "–";
            lines.Add($"| {parts[0]} | {(parts.Length > 1 ? parts[1] : "")} | {metric} | {Cell(left)} | {Cell(right)} | {ratio} | {(higher ? "higher" : "lower")} |");
        }
        return string.Join(Environment.NewLine, lines);
    }

    private static string F(double v) => v switch
    {
        >= 1000 => v.ToString("F0", CultureInfo.InvariantCulture),
        >= 10 => v.ToString("F1", CultureInfo.InvariantCulture),
        _ => v.ToString("F3", CultureInfo.InvariantCulture),
    };
}
