using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Coordinator.Tests.Integration.V2;

/// <summary>One HTTP exchange as a curl user sees it: status, headers (names lowercased), body.</summary>
internal sealed record V2Response(int Status, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var v) ? v : "";
    public System.Text.Json.JsonElement Json => System.Text.Json.JsonDocument.Parse(Body).RootElement;
    public override string ToString() => $"{Status} {string.Join(" ", Headers.Select(h => h.Key + "=" + h.Value))}\n{Body}";
}

/// <summary>curl for the tests: -XMETHOD with -d form bodies (application/x-www-form-urlencoded), no redirects.</summary>
internal sealed class V2Curl : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false })
    {
        Timeout = TimeSpan.FromSeconds(30),
    };

    /// <summary><paramref name="form"/> is the raw -d text ("value=Hello world" is sent as curl sends it).</summary>
    /// <paramref name="authorization"/>: the Authorization header as sent (curl -u sends "Basic base64(user:password)").
    public async Task<V2Response> SendAsync(string method, string url, string? form = null, string? contentType = null,
        CancellationToken cancellationToken = default, string? authorization = null)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        if (form is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(form));
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType ?? "application/x-www-form-urlencoded");
        }
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var headers = new Dictionary<string, string>();
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
            headers[name.ToLowerInvariant()] = string.Join(",", values);
        return new V2Response((int)response.StatusCode, headers, body);
    }

    /// <summary>Opens a long response (a watch); its lines are read as they come.</summary>
    public async Task<V2Stream> OpenAsync(string url, CancellationToken cancellationToken = default)
    {
        var response = await _http.SendAsync(new HttpRequestMessage(HttpMethod.Get, url), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var headers = new Dictionary<string, string>();
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
            headers[name.ToLowerInvariant()] = string.Join(",", values);
        return new V2Stream(response, new V2Response((int)response.StatusCode, headers, ""),
            new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken)));
    }

    public Task<V2Response> GetAsync(string url, CancellationToken cancellationToken = default) => SendAsync("GET", url, cancellationToken: cancellationToken);
    public Task<V2Response> PutAsync(string url, string form) => SendAsync("PUT", url, form);

    /// <summary>curl -u user:password.</summary>
    public static string Basic(string userColonPassword) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(userColonPassword));

    public void Dispose() => _http.Dispose();
}

/// <summary>A watch response being read line by line (one JSON event per line).</summary>
internal sealed class V2Stream(HttpResponseMessage response, V2Response head, StreamReader reader) : IDisposable
{
    public V2Response Head { get; } = head;

    /// <summary>The next line, or null when the response ended or nothing came within <paramref name="within"/>.</summary>
    public async Task<string?> ReadLineAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try { return await reader.ReadLineAsync(timeout.Token); }
        catch (OperationCanceledException) { return null; }
    }

    public void Dispose()
    {
        reader.Dispose();
        response.Dispose();
    }
}
