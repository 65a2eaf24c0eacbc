using System.Net;
using System.Text;
using System.Text.Json;

namespace Coordinator.Fuzz;

/// <summary>
/// etcd's HTTP surface on a real member — /v2/keys forms and queries, /v2/members reads (changes are left out: an added member that never starts takes the quorum away), /v2/stats, /v2/machines,
/// /health, /version — as curl would send it: input byte 0 picks the method, byte 1 the route and the content
/// type, then "path?query", a newline, and the body. Bytes a URL cannot hold are percent-encoded, as a client
/// must. Every answer is an HTTP status below 500 and, for the keys and members APIs, a JSON body (etcd's error
/// objects) unless etcd sends none; a request that is not a wait answers within its time. Afterwards the member
/// still sets and gets a probe key.
/// </summary>
public sealed class V2HttpTarget : IFuzzTarget, IDisposable
{
    private static readonly string[] MethodsByByte = ["GET", "PUT", "POST", "DELETE", "HEAD", "PATCH", "GET", "PUT"];
    private static readonly string[] Routes = ["/v2/keys/", "/v2/members", "/v2/stats/", "/v2/machines", "/health", "/version", "/v2/keys/", "/v2/keys/"];
    private static readonly string[] ContentTypes = ["application/x-www-form-urlencoded", "application/json", "", "application/x-www-form-urlencoded; charset=utf-8"];

    private InProcessMember? _member;
    private long _probes;

    public string Name => "v2-http";

    public int CiRounds => 2_000;

    public void Run(ReadOnlySpan<byte> input)
    {
        if (input.Length < 2) return;
        _member ??= new InProcessMember();
        var method = MethodsByByte[input[0] % MethodsByByte.Length];
        var route = Routes[input[1] % Routes.Length];
        if (route == "/v2/members" && method is not ("GET" or "HEAD")) method = "GET"; // an added member that never starts takes the quorum away, by design
        var contentType = ContentTypes[(input[1] >> 3) % ContentTypes.Length];
        var rest = input[2..];
        var newline = rest.IndexOf((byte)'\n');
        var target = Escape(newline < 0 ? rest : rest[..newline]);
        var body = newline < 0 ? [] : rest[(newline + 1)..].ToArray();
        var path = route + target.TrimStart('/');
        if (!Uri.TryCreate(_member.ClientUrl, path, out var uri) || uri.Host != _member.ClientUrl.Host || uri.Port != _member.ClientUrl.Port) return;

        var waits = path.Contains("wait", StringComparison.OrdinalIgnoreCase);
        var (status, text, contentTypeBack) = Send(method, uri, body, contentType, waits ? TimeSpan.FromMilliseconds(300) : TimeSpan.FromSeconds(10), waits);
        if (status == 0) { Probe(); return; } // a wait that was still waiting: fine
        if (status >= 500 && !(route == "/health" && status == 503))
            throw new InvalidOperationException($"{method} {uri.PathAndQuery}: HTTP {status} {text}");
        var jsonApi = route.StartsWith("/v2/keys", StringComparison.Ordinal) || route == "/v2/members";
        if (jsonApi && method != "HEAD" && status is not (204 or 301 or 307 or 405) && text.Length > 0 && contentTypeBack.Contains("json"))
        {
            try
            {
                foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries)) JsonDocument.Parse(line).Dispose();
            }
            catch (JsonException e)
            {
                throw new InvalidOperationException($"{method} {uri.PathAndQuery}: HTTP {status} with a body that is not JSON ({e.Message}): {text}");
            }
        }
        Probe();
    }

    /// <summary>Printable ASCII stays as it is (so '?', '&amp;', '=' and '%' keep their meaning); every other
    /// byte is percent-encoded.</summary>
    private static string Escape(ReadOnlySpan<byte> bytes)
    {
        var b = new StringBuilder(bytes.Length);
        foreach (var x in bytes)
        {
            if (x is > 0x20 and < 0x7F && x != (byte)'#') b.Append((char)x);
            else b.Append('%').Append(x.ToString("X2"));
        }
        return b.ToString();
    }

    private (int Status, string Text, string ContentType) Send(string method, Uri uri, byte[] body, string contentType, TimeSpan within, bool mayWait)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), uri);
        if (method is "PUT" or "POST" or "PATCH" || body.Length > 0)
        {
            request.Content = new ByteArrayContent(body);
            if (contentType.Length > 0) request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }
        using var timeout = new CancellationTokenSource(within);
        try
        {
            using var response = _member!.Http1.Send(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
            var text = response.Content.ReadAsStringAsync(timeout.Token).GetAwaiter().GetResult();
            var type = response.Content.Headers.ContentType?.MediaType ?? "";
            return ((int)response.StatusCode, text, type);
        }
        catch (OperationCanceledException) when (mayWait) { return (0, "", ""); }
        catch (OperationCanceledException) { throw new InvalidOperationException($"{method} {uri.PathAndQuery}: no answer within {within.TotalSeconds} s"); }
    }

    private void Probe()
    {
        var value = $"v{++_probes}";
        var url = new Uri(_member!.ClientUrl, "/v2/keys/fuzz-probe");
        var (set, setText, _) = Send("PUT", url, Encoding.ASCII.GetBytes("value=" + value), ContentTypes[0], TimeSpan.FromSeconds(10), false);
        if (set is not (200 or 201)) throw new InvalidOperationException($"probe set failed: {set} {setText}");
        var (get, text, _) = Send("GET", url, [], "", TimeSpan.FromSeconds(10), false);
        if (get != 200 || !text.Contains($"\"value\":\"{value}\"", StringComparison.Ordinal))
            throw new InvalidOperationException($"the member no longer reads back what it set: {get} {text}");
    }

    public void Dispose() => _member?.Dispose();
}
