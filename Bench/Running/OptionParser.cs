using System.Globalization;

namespace Coordinator.Bench.Running;

/// <summary>
/// Reads "--name value" and "--name=value" pairs (and bare "--flag" booleans) after the positional arguments.
/// Unknown names are an error so a typo never silently runs the default.
/// </summary>
public sealed class OptionParser
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = [];

    public OptionParser(IEnumerable<string> args)
    {
        var list = args.ToList();
        for (var i = 0; i < list.Count; i++)
        {
            var a = list[i];
            if (!a.StartsWith("--", StringComparison.Ordinal))
            {
                Positional.Add(a);
                continue;
            }
            var eq = a.IndexOf('=');
            if (eq > 0)
                _values[a[2..eq]] = a[(eq + 1)..];
            else if (i + 1 < list.Count && !list[i + 1].StartsWith("--", StringComparison.Ordinal))
                _values[a[2..]] = list[++i];
            else
                _values[a[2..]] = "true";
        }
    }

    public List<string> Positional { get; } = [];

    public bool Has(string name) => _values.ContainsKey(name);

    public string Text(string name, string fallback) => Take(name) ?? fallback;

    public int Int(string name, int fallback) => Take(name) is { } s
        ? int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : throw NotA(name, s, "whole number")
        : fallback;

    public long Long(string name, long fallback) => Take(name) is { } s
        ? long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : throw NotA(name, s, "whole number")
        : fallback;

    public double Double(string name, double fallback) => Take(name) is { } s
        ? double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : throw NotA(name, s, "number")
        : fallback;

    private static ArgumentException NotA(string name, string value, string what) => new($"--{name}: '{value}' is not a {what}");

    public bool Bool(string name, bool fallback) => Take(name) is { } s ? s is "true" or "1" or "yes" : fallback;

    public IReadOnlyList<string> List(string name, IReadOnlyList<string> fallback) =>
        Take(name) is { } s ? s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : fallback;

    /// <summary>"10s", "500ms", "2m", or a bare number of seconds.</summary>
    public TimeSpan Duration(string name, TimeSpan fallback) => Take(name) is { } s ? ParseDuration(s) : fallback;

    public static TimeSpan ParseDuration(string s)
    {
        double Num(string t) => double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= 0
            ? v : throw new ArgumentException($"'{s}' is not a duration (10s, 500ms, 2m)");
        if (s.EndsWith("ms", StringComparison.Ordinal)) return TimeSpan.FromMilliseconds(Num(s[..^2]));
        if (s.EndsWith('s')) return TimeSpan.FromSeconds(Num(s[..^1]));
        if (s.EndsWith('m')) return TimeSpan.FromMinutes(Num(s[..^1]));
        return TimeSpan.FromSeconds(Num(s));
    }

    /// <summary>Throws when an option was given that nothing asked for.</summary>
    public void RejectUnknown()
    {
        var unknown = _values.Keys.Where(k => !_used.Contains(k)).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException("unknown option(s): " + string.Join(", ", unknown.Select(u => "--" + u)));
    }

    private string? Take(string name)
    {
        _used.Add(name);
        return _values.TryGetValue(name, out var v) ? v : null;
    }
}
