using System.Text.Json;

namespace Coordinator.Tests.Integration.V2;

/// <summary>One server under a differential test, with what steps remember between them.</summary>
internal sealed class V2Target(string name, string baseUrl) : IDisposable
{
    public string Name { get; } = name;
    public string BaseUrl { get; } = baseUrl;
    public V2Curl Curl { get; } = new();
    /// <summary>modifiedIndex of the last response that had a node: "{last}" in a step's path or form.</summary>
    public ulong Last { get; set; }
    public Dictionary<string, Task<V2Response>> Waits { get; } = new();
    public Dictionary<string, V2Stream> Streams { get; } = new();

    public string Expand(string text) => text.Replace("{last}", Last.ToString()).Replace("{last+1}", (Last + 1).ToString());

    public void Remember(V2Response r)
    {
        try
        {
            if (r.Body.Length > 0 && r.Body[0] == '{' && r.Json.TryGetProperty("node", out var node) &&
                node.TryGetProperty("modifiedIndex", out var index))
                Last = index.GetUInt64();
        }
        catch (JsonException) { }
    }

    /// <summary>Watchers registered on the server (/v2/stats/store), to know a watch is in place before writing.</summary>
    public async Task<long> WatchersAsync() =>
        (await Curl.GetAsync(BaseUrl + "/v2/stats/store")).Json.GetProperty("watchers").GetInt64();

    /// <summary>Polls until at least <paramref name="count"/> watchers are registered or <paramref name="done"/> says
    /// the watch needs no registration (it was answered from the history); 20 s at most.</summary>
    public async Task WaitForWatchersAsync(long count, Func<bool>? done = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline && !(done?.Invoke() ?? false) && await WatchersAsync() < count) await Task.Delay(20);
    }

    public void Dispose()
    {
        foreach (var s in Streams.Values) s.Dispose();
        Curl.Dispose();
    }
}

/// <summary>One step of a differential script: runs against a target and says what it observed.</summary>
internal sealed record V2Step(string Name, Func<V2Target, Task<string>> Run)
{
    public override string ToString() => Name;

    /// <summary>A request; its observation is status, headers and the masked body (or only the body's shape).</summary>
    public static V2Step Request(string method, string path, string? form = null, string? contentType = null, bool shape = false) =>
        new($"{method} {path} {form}", async t =>
        {
            var r = await t.Curl.SendAsync(method, t.BaseUrl + t.Expand(path), form is null ? null : t.Expand(form), contentType);
            t.Remember(r);
            return V2Observation.Of(r, shape);
        });

    public static V2Step Get(string path, bool shape = false) => Request("GET", path, shape: shape);
    public static V2Step Put(string path, string form) => Request("PUT", path, form);

    /// <summary>Starts a wait=true request and gives it time to register before the next step writes.</summary>
    public static V2Step WaitStart(string id, string path) => new($"wait {id} {path}", async t =>
    {
        var before = await t.WatchersAsync();
        var wait = t.Waits[id] = t.Curl.GetAsync(t.BaseUrl + t.Expand(path));
        await t.WaitForWatchersAsync(before + 1, () => wait.IsCompleted);
        return wait.IsCompleted ? "completed at once:\n" + V2Observation.Of(await wait) : "waiting";
    });

    public static V2Step WaitEnd(string id) => new($"wait {id} ends", async t =>
        V2Observation.Of(await t.Waits[id].WaitAsync(TimeSpan.FromSeconds(15))));

    /// <summary>A watch that must get its headers and then nothing for <paramref name="quiet"/>.</summary>
    public static V2Step WaitsQuietly(string path, TimeSpan quiet) => new($"quiet wait {path}", async t =>
    {
        using var stream = await t.Curl.OpenAsync(t.BaseUrl + t.Expand(path));
        var line = await stream.ReadLineAsync(quiet);
        return V2Observation.Of(stream.Head) + "\nreceived: " + (line is null ? "nothing" : V2Observation.Mask(line));
    });

    public static V2Step StreamStart(string id, string path) => new($"stream {id} {path}", async t =>
    {
        var before = await t.WatchersAsync();
        t.Streams[id] = await t.Curl.OpenAsync(t.BaseUrl + t.Expand(path));
        await t.WaitForWatchersAsync(before + 1);
        return V2Observation.Of(t.Streams[id].Head);
    });

    public static V2Step StreamRead(string id, int lines) => new($"stream {id} reads {lines}", async t =>
    {
        var got = new List<string>();
        for (var i = 0; i < lines; i++) got.Add(await t.Streams[id].ReadLineAsync(TimeSpan.FromSeconds(10)) is { } l ? V2Observation.Mask(l) : "(nothing)");
        return string.Join("\n", got);
    });

    /// <summary>GETs <paramref name="path"/> until it answers <paramref name="status"/> (a TTL key expiring), 20 s at most;
    /// observes the last answer.</summary>
    public static V2Step GetUntil(string path, int status) => new($"GET {path} until {status}", async t =>
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        V2Response r;
        while ((r = await t.Curl.GetAsync(t.BaseUrl + t.Expand(path))).Status != status && DateTime.UtcNow < deadline) await Task.Delay(100);
        return V2Observation.Of(r);
    });

    /// <summary>Many writes at once (to push the history past 1,000 events); observes only the failures.</summary>
    public static V2Step Writes(int count, string pathPrefix) => new($"{count} writes", async t =>
    {
        var failures = 0;
        for (var i = 0; i < count; i++)
        {
            var r = await t.Curl.PutAsync(t.BaseUrl + pathPrefix + (i % 10), "value=" + i);
            if (r.Status >= 300) failures++;
            t.Remember(r);
        }
        return "failures: " + failures;
    });
}
