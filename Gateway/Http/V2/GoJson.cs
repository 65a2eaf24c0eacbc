using System.Globalization;
using System.Text;

namespace Coordinator.Gateway.Http.V2;

/// <summary>
/// JSON text exactly as Go's encoding/json writes it (etcd's v2 responses are compared byte for byte by
/// clients and tests): strings escape <c>"</c>, <c>\</c>, control characters, <c>&lt; &gt; &amp;</c> and
/// U+2028/U+2029 and keep other characters as they are; floats in the shortest form, exponents only outside
/// [1e-6, 1e21); times as RFC 3339 with nanoseconds, trailing zeros dropped.
/// </summary>
public static class GoJson
{
    public static StringBuilder String(StringBuilder b, string s)
    {
        b.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': b.Append("\\\""); break;
                case '\\': b.Append("\\\\"); break;
                case '\n': b.Append("\\n"); break;
                case '\r': b.Append("\\r"); break;
                case '\t': b.Append("\\t"); break;
                case '<' or '>' or '&' or '\u2028' or '\u2029' or < ' ':
                    b.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
                default:
                    b.Append(c); break;
            }
        }
        return b.Append('"');
    }

    /// <summary>Go's float64 encoding: shortest round-trip digits; 'e' notation (e-7, e+21) outside [1e-6, 1e21).</summary>
    public static string Float(double value)
    {
        if (value == 0) return "0";
        var abs = Math.Abs(value);
        var r = value.ToString("R", CultureInfo.InvariantCulture);
        if (abs < 1e-6 || abs >= 1e21)
        {
            // .NET: "1E-07" → Go: "1e-07" cleaned to "1e-7".
            var e = r.IndexOf('E');
            if (e < 0) return r;
            var mantissa = r[..e];
            var exponent = int.Parse(r[(e + 1)..], CultureInfo.InvariantCulture);
            return exponent < 0
                ? mantissa + "e-" + (-exponent).ToString(CultureInfo.InvariantCulture)
                : mantissa + "e+" + exponent.ToString("00", CultureInfo.InvariantCulture);
        }
        var ei = r.IndexOf('E');
        if (ei < 0) return r;
        // Plain notation from "d.dddE+n" / "d.dddE-n".
        var digits = r[..ei].Replace(".", "");
        var negative = digits.StartsWith('-');
        if (negative) digits = digits[1..];
        var exp = int.Parse(r[(ei + 1)..], CultureInfo.InvariantCulture);
        var point = 1 + exp; // position of the decimal point in digits
        string plain = point <= 0 ? "0." + new string('0', -point) + digits
            : point >= digits.Length ? digits + new string('0', point - digits.Length)
            : digits[..point] + "." + digits[point..];
        return (negative ? "-" : "") + plain;
    }

    /// <summary>Go's time.Time JSON (RFC 3339, nanoseconds without trailing zeros) of Unix nanoseconds, in UTC.</summary>
    public static string Time(long unixNanoseconds)
    {
        var seconds = Math.DivRem(unixNanoseconds, 1_000_000_000L, out var nanos);
        if (nanos < 0) { seconds--; nanos += 1_000_000_000L; }
        // Outside DateTime's range (a TTL overflowing as in Go): clamp rather than fail.
        seconds = Math.Clamp(seconds, -62135596800L, 253402300799L);
        var time = DateTime.UnixEpoch.AddSeconds(seconds);
        var text = time.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss", CultureInfo.InvariantCulture);
        if (nanos != 0) text += "." + nanos.ToString("D9", CultureInfo.InvariantCulture).TrimEnd('0');
        return text + "Z";
    }

    public static string Time(DateTime utc) => Time((utc.ToUniversalTime() - DateTime.UnixEpoch).Ticks * 100);

    /// <summary>Go's time.Duration.String(): "4h49m25.913009175s", "1.5ms", "0s".</summary>
    public static string Duration(TimeSpan span)
    {
        var ns = span.Ticks * 100;
        if (ns == 0) return "0s";
        var negative = ns < 0;
        var u = (ulong)Math.Abs(ns);
        string text;
        if (u < 1_000_000_000UL)
        {
            // Sub-second: the largest unit that keeps a leading digit.
            (ulong unit, string name) = u < 1_000 ? (1UL, "ns") : u < 1_000_000 ? (1_000UL, "µs") : (1_000_000UL, "ms");
            text = Fraction(u, unit) + name;
        }
        else
        {
            var hours = u / 3_600_000_000_000UL;
            var minutes = u / 60_000_000_000UL % 60;
            var secondsNs = u % 60_000_000_000UL;
            text = (hours > 0 ? hours + "h" : "") + (hours > 0 || minutes > 0 ? minutes + "m" : "") + Fraction(secondsNs, 1_000_000_000UL) + "s";
        }
        return negative ? "-" + text : text;
    }

    private static string Fraction(ulong value, ulong unit)
    {
        var whole = value / unit;
        var rest = value % unit;
        if (rest == 0) return whole.ToString(CultureInfo.InvariantCulture);
        var width = (int)Math.Log10(unit);
        return whole + "." + rest.ToString(CultureInfo.InvariantCulture).PadLeft(width, '0').TrimEnd('0');
    }
}
