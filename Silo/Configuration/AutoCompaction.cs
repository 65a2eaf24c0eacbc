using System.Globalization;

namespace Coordinator.Silo.Configuration;

/// <summary>etcd's auto-compaction settings: periodic (keep a time window of history) or revision (keep N revisions).</summary>
public sealed record AutoCompaction(bool Periodic, TimeSpan Window, long Revisions)
{
    public bool Enabled => Periodic ? Window > TimeSpan.Zero : Revisions > 0;

    /// <summary>Periodic retention is hours ("1") or a duration ("30m", "1h30m", "90s"); revision retention is a count.</summary>
    public static AutoCompaction Parse(string mode, string retention)
    {
        if (mode == "revision")
        {
            if (!long.TryParse(retention, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) || n < 0)
                throw new ConfigurationException($"--auto-compaction-retention: '{retention}' is not a revision count");
            return new AutoCompaction(false, TimeSpan.Zero, n);
        }
        if (double.TryParse(retention, NumberStyles.Float, CultureInfo.InvariantCulture, out var hours) && hours >= 0)
            return new AutoCompaction(true, TimeSpan.FromHours(hours), 0);
        var total = TimeSpan.Zero;
        var number = "";
        foreach (var c in retention)
        {
            if (char.IsDigit(c) || c == '.') { number += c; continue; }
            if (number.Length == 0 || !double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
                throw new ConfigurationException($"--auto-compaction-retention: '{retention}' is not hours or a duration like 30m");
            total += c switch
            {
                'h' => TimeSpan.FromHours(v),
                'm' => TimeSpan.FromMinutes(v),
                's' => TimeSpan.FromSeconds(v),
                _ => throw new ConfigurationException($"--auto-compaction-retention: unknown unit '{c}' in '{retention}'"),
            };
            number = "";
        }
        if (number.Length > 0) throw new ConfigurationException($"--auto-compaction-retention: '{retention}' lacks a unit");
        return new AutoCompaction(true, total, 0);
    }
}
