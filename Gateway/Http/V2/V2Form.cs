using System.Text;

namespace Coordinator.Gateway.Http.V2;

/// <summary>
/// Request parameters as Go's http.Request.ParseForm sees them (etcd reads every v2 parameter this way):
/// the url-encoded body of a POST, PUT or PATCH first, then the query string; '+' is a space; a bad escape or a
/// ';' separator is an error with Go's text; a body over 10 MiB is "http: POST too large".
/// </summary>
public sealed class V2Form
{
    /// <summary>Go's maxFormSize: the largest url-encoded body ParseForm reads.</summary>
    public const int MaxBodyBytes = 10 << 20;

    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);

    public bool Has(string key) => _values.ContainsKey(key);

    /// <summary>The first value (body before query), or "" when absent.</summary>
    public string Value(string key) => _values.TryGetValue(key, out var list) ? list[0] : "";

    /// <summary>Parses body (when <paramref name="body"/> is not null) then query; returns the first error's text, or null.</summary>
    public static (V2Form Form, string? Error) Parse(string? body, string query)
    {
        var form = new V2Form();
        string? error = null;
        if (body is not null) error = form.Add(body);
        var queryError = form.Add(query.StartsWith('?') ? query[1..] : query);
        return (form, error ?? queryError);
    }

    /// <summary>Go's url.ParseQuery: keeps parsing after an error and reports the first one.</summary>
    private string? Add(string text)
    {
        string? first = null;
        foreach (var pair in text.Split('&'))
        {
            if (pair.Contains(';'))
            {
                first ??= "invalid semicolon separator in query";
                continue;
            }
            if (pair.Length == 0) continue;
            var eq = pair.IndexOf('=');
            var (rawKey, rawValue) = eq < 0 ? (pair, "") : (pair[..eq], pair[(eq + 1)..]);
            var key = Unescape(rawKey, out var keyError);
            if (keyError is not null) { first ??= keyError; continue; }
            var value = Unescape(rawValue, out var valueError);
            if (valueError is not null) { first ??= valueError; continue; }
            if (!_values.TryGetValue(key!, out var list)) _values[key!] = list = [];
            list.Add(value!);
        }
        return first;
    }

    /// <summary>Go's url.QueryUnescape.</summary>
    private static string? Unescape(string s, out string? error)
    {
        error = null;
        if (s.IndexOf('%') < 0 && s.IndexOf('+') < 0) return s;
        var bytes = new List<byte>(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '%')
            {
                if (i + 2 >= s.Length || !Uri.IsHexDigit(s[i + 1]) || !Uri.IsHexDigit(s[i + 2]))
                {
                    var bad = s[i..];
                    if (bad.Length > 3) bad = bad[..3];
                    error = "invalid URL escape " + GoQuote(bad);
                    return null;
                }
                bytes.Add((byte)Convert.ToInt32(s.Substring(i + 1, 2), 16));
                i += 2;
            }
            else if (c == '+') bytes.Add((byte)' ');
            else bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    /// <summary>Go's strconv.Quote for the short ASCII fragments of an escape error.</summary>
    private static string GoQuote(string s)
    {
        var b = new StringBuilder("\"");
        foreach (var c in s)
        {
            if (c == '"' || c == '\\') b.Append('\\').Append(c);
            else if (c < ' ' || c == 0x7f) b.Append("\\x").Append(((int)c).ToString("x2"));
            else b.Append(c);
        }
        return b.Append('"').ToString();
    }

    /// <summary>Go's strconv.ParseBool.</summary>
    public static bool? ParseBool(string s) => s switch
    {
        "1" or "t" or "T" or "TRUE" or "true" or "True" => true,
        "0" or "f" or "F" or "FALSE" or "false" or "False" => false,
        _ => null,
    };

    /// <summary>Go's strconv.ParseUint(s, 10, 64): digits only, no sign, no overflow.</summary>
    public static ulong? ParseUint(string s)
    {
        if (s.Length == 0) return null;
        foreach (var c in s) if (c is < '0' or > '9') return null;
        return ulong.TryParse(s, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : null;
    }
}
