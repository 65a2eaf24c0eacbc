using System.Net.Sockets;
using System.Text;
using Xunit;

namespace Coordinator.Tests.Integration.V2;

/// <summary>Bad input to the v2 API on a running member: etcd's error, nothing stored, the member keeps serving.
/// (The differential tests check the same error texts against etcd itself.)</summary>
[Trait("Category", "Integration")]
public sealed class V2BadInputTests : IAsyncLifetime
{
    private readonly TestCluster _cluster = new(1);
    private readonly V2Curl _curl = new();
    private string Url => _cluster.Members[0].ClientUrl;

    public Task InitializeAsync() => _cluster.StartPublishedAsync();

    public Task DisposeAsync()
    {
        _curl.Dispose();
        _cluster.Dispose();
        return Task.CompletedTask;
    }

    private async Task AssertNothingStoredAsync(string prefix)
    {
        var r = await _curl.GetAsync(Url + "/v2/keys" + prefix + "?recursive=true");
        Assert.True(r.Status == 404, $"something was stored under {prefix}: {r}");
    }

    [Fact]
    public async Task Malformed_forms_non_numeric_values_and_unknown_methods_store_nothing()
    {
        var cases = new (string Method, string Path, string? Form, int Code)[]
        {
            ("PUT", "/v2/keys/bad/x?ttl=ten", "value=1", 202),
            ("PUT", "/v2/keys/bad/x", "value=1&ttl=1e3", 202),
            ("PUT", "/v2/keys/bad/x", "value=1&prevIndex=0x10", 203),
            ("PUT", "/v2/keys/bad/x", "value=%G1", 210),
            ("PUT", "/v2/keys/bad/x", "value=1&&&%", 210),
            ("POST", "/v2/keys/bad/q", "value=1&dir=nope", 209),
            ("DELETE", "/v2/keys/bad/x?recursive=sure", null, 209),
            ("GET", "/v2/keys/bad/x?wait=true&waitIndex=18446744073709551616", null, 203),
        };
        foreach (var (method, path, form, code) in cases)
        {
            var r = await _curl.SendAsync(method, Url + path, form);
            Assert.True(r.Status == 400 && r.Json.GetProperty("errorCode").GetInt32() == code, $"{method} {path} {form}: {r}");
            Assert.Equal("0", r.Header("X-Etcd-Index"));
        }
        foreach (var method in new[] { "PATCH", "TRACE", "CONNECTX", "PROPFIND" })
        {
            var r = await _curl.SendAsync(method, Url + "/v2/keys/bad/x", "value=1");
            Assert.Equal((405, "HEAD,GET,PUT,POST,DELETE", "Method Not Allowed\n"), (r.Status, r.Header("Allow"), r.Body));
        }
        await AssertNothingStoredAsync("/bad");
        Assert.Equal(201, (await _curl.PutAsync(Url + "/v2/keys/good", "value=1")).Status); // and the member still serves
    }

    [Fact]
    public async Task A_form_over_10_MiB_is_refused_and_a_url_over_8_KiB_is_414()
    {
        var huge = await _curl.PutAsync(Url + "/v2/keys/limits/huge", "value=" + new string('v', 10 * 1024 * 1024));
        Assert.Equal((400, 210, "http: POST too large"), (huge.Status, huge.Json.GetProperty("errorCode").GetInt32(), huge.Json.GetProperty("cause").GetString()));
        var justUnder = await _curl.PutAsync(Url + "/v2/keys/limits/big", "value=" + new string('v', 10 * 1024 * 1024 - "value=".Length));
        Assert.Equal(201, justUnder.Status); // etcd has no smaller limit for v2 values
        Assert.Equal(10 * 1024 * 1024 - 6, (await _curl.GetAsync(Url + "/v2/keys/limits/big")).Json.GetProperty("node").GetProperty("value").GetString()!.Length);
        // Kestrel's request line limit (8 KiB) bounds key paths, and so the depth of the tree.
        var tooLong = await _curl.PutAsync(Url + "/v2/keys/limits" + string.Concat(Enumerable.Repeat("/d", 4200)), "value=1");
        Assert.Equal(414, tooLong.Status);
        Assert.Equal(404, (await _curl.GetAsync(Url + "/v2/keys/limits/d")).Status);
    }

    [Fact]
    public async Task A_path_4000_levels_deep_is_stored_listed_and_removed()
    {
        var deep = "/deep" + string.Concat(Enumerable.Repeat("/d", 3990));
        Assert.Equal(201, (await _curl.PutAsync(Url + "/v2/keys" + deep, "value=bottom")).Status);
        Assert.Equal("bottom", (await _curl.GetAsync(Url + "/v2/keys" + deep)).Json.GetProperty("node").GetProperty("value").GetString());
        var listed = await _curl.GetAsync(Url + "/v2/keys/deep?recursive=true");
        Assert.Equal(200, listed.Status);
        Assert.Contains("\"value\":\"bottom\"", listed.Body);
        Assert.Equal(200, (await _curl.SendAsync("DELETE", Url + "/v2/keys/deep?recursive=true")).Status);
        await AssertNothingStoredAsync("/deep");
    }

    [Fact]
    public async Task A_wait_far_in_the_future_waits_without_a_leak_and_garbage_requests_do_not_hurt()
    {
        using (var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(1)))
        {
            var wait = _curl.GetAsync(Url + "/v2/keys/future?wait=true&waitIndex=18446744073709551615", cancel.Token);
            await Task.Delay(300);
            Assert.Equal(1, (await _curl.GetAsync(Url + "/v2/stats/store")).Json.GetProperty("watchers").GetInt64());
            await _curl.PutAsync(Url + "/v2/keys/future", "value=1"); // far below the wanted index: not delivered
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
        }
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while ((await _curl.GetAsync(Url + "/v2/stats/store")).Json.GetProperty("watchers").GetInt64() != 0 && DateTime.UtcNow < deadline)
            await Task.Delay(100);
        Assert.Equal(0, (await _curl.GetAsync(Url + "/v2/stats/store")).Json.GetProperty("watchers").GetInt64());

        foreach (var garbage in new[] { "PUT /v2/keys/g HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 99999\r\n\r\nvalue=1", "\x00\x01\x02 nonsense\r\n\r\n", "GET /v2/keys/%%% HTTP/1.1\r\nHost: x\r\n\r\n" })
        {
            using var socket = new TcpClient();
            await socket.ConnectAsync("127.0.0.1", _cluster.Members[0].ClientPort);
            var stream = socket.GetStream();
            await stream.WriteAsync(Encoding.Latin1.GetBytes(garbage));
            socket.Client.Shutdown(SocketShutdown.Send);
            var buffer = new byte[4096];
            using var read = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try { _ = await stream.ReadAsync(buffer, read.Token); } catch (IOException) { }
        }
        await AssertNothingStoredAsync("/g");
        Assert.Equal(200, (await _curl.GetAsync(Url + "/v2/keys/future")).Status);
    }
}
