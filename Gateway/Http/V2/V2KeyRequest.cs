using Coordinator.Grains.Store.V2;

namespace Coordinator.Gateway.Http.V2;

/// <summary>A parsed /v2/keys request (etcd's parseKeyRequest): every parameter checked in etcd's order, with
/// etcd's error code and cause for the first bad one.</summary>
public sealed record V2KeyRequest
{
    public required string Method { get; init; }
    public required string Path { get; init; }
    public string Value { get; init; } = "";
    public bool Dir { get; init; }
    public string PrevValue { get; init; } = "";
    public ulong PrevIndex { get; init; }
    public bool? PrevExist { get; init; }
    public bool Wait { get; init; }
    public ulong WaitIndex { get; init; }
    public bool Recursive { get; init; }
    public bool Sorted { get; init; }
    public bool Quorum { get; init; }
    public bool Stream { get; init; }
    public bool Refresh { get; init; }
    public ulong? Ttl { get; init; }
    public bool NoValueOnSuccess { get; init; }

    /// <summary>Throws a <see cref="V2Error"/> (index 0, as etcd's request errors) for the first bad parameter.</summary>
    public static V2KeyRequest Parse(string method, string keyPath, V2Form form)
    {
        var prevIndex = Uint(form, "prevIndex");
        var waitIndex = Uint(form, "waitIndex");
        var recursive = Bool(form, "recursive");
        var sorted = Bool(form, "sorted");
        var wait = Bool(form, "wait");
        var dir = Bool(form, "dir");
        var quorum = Bool(form, "quorum");
        var stream = Bool(form, "stream");
        if (wait && method != "GET") throw Invalid(V2ErrorCode.InvalidField, "\"wait\" can only be used with GET requests");
        var prevValue = form.Value("prevValue");
        if (form.Has("prevValue") && prevValue.Length == 0) throw Invalid(V2ErrorCode.PrevValueRequired, "\"prevValue\" cannot be empty");
        var noValueOnSuccess = Bool(form, "noValueOnSuccess");
        ulong? ttl = null;
        if (form.Value("ttl").Length > 0)
            ttl = V2Form.ParseUint(form.Value("ttl")) ?? throw Invalid(V2ErrorCode.TtlNaN, "invalid value for \"ttl\"");
        bool? prevExist = null;
        if (form.Has("prevExist"))
            prevExist = V2Form.ParseBool(form.Value("prevExist")) ?? throw Invalid(V2ErrorCode.InvalidField, "invalid value for prevExist");
        var refresh = false;
        if (form.Has("refresh"))
        {
            refresh = V2Form.ParseBool(form.Value("refresh")) ?? throw Invalid(V2ErrorCode.InvalidField, "invalid value for refresh");
            if (refresh && form.Has("value") && form.Value("value").Length > 0)
                throw Invalid(V2ErrorCode.RefreshValue, "A value was provided on a refresh");
            if (refresh && ttl is null) throw Invalid(V2ErrorCode.RefreshTtlRequired, "No TTL value set");
        }
        return new V2KeyRequest
        {
            Method = method, Path = V2Path.Clean(keyPath), Value = form.Value("value"), Dir = dir, PrevValue = prevValue,
            PrevIndex = prevIndex, PrevExist = prevExist, Wait = wait, WaitIndex = waitIndex, Recursive = recursive,
            Sorted = sorted, Quorum = quorum, Stream = stream, Refresh = refresh, Ttl = ttl, NoValueOnSuccess = noValueOnSuccess,
        };
    }

    /// <summary>The replicated write: the expiration is fixed here, on this member's clock, as etcd does.</summary>
    public Protocol.Internal.V2Write ToWrite(long nowUnixNs)
    {
        var write = new Protocol.Internal.V2Write
        {
            Method = Method, Path = Path, Value = Value, Dir = Dir, PrevValue = PrevValue, PrevIndex = PrevIndex,
            Refresh = Refresh, Recursive = Recursive,
        };
        if (PrevExist is { } prevExist) write.PrevExist = prevExist;
        // Go: time.Now().Add(time.Duration(ttl) * time.Second).UnixNano(), overflow wrapping as in Go.
        if (Ttl is { } ttl) write.Expiration = unchecked(nowUnixNs + (long)ttl * 1_000_000_000L);
        return write;
    }

    private static ulong Uint(V2Form form, string key) =>
        !form.Has(key) ? 0 : V2Form.ParseUint(form.Value(key)) ?? throw Invalid(V2ErrorCode.IndexNaN, $"invalid value for \"{key}\"");

    private static bool Bool(V2Form form, string key) =>
        form.Has(key) && (V2Form.ParseBool(form.Value(key)) ?? throw Invalid(V2ErrorCode.InvalidField, $"invalid value for \"{key}\""));

    private static V2Error Invalid(int code, string cause) => new(code, cause, 0);
}
