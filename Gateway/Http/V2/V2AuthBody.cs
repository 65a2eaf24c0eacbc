using System.Text.Json;

namespace Coordinator.Gateway.Http.V2;

/// <summary>A PUT body of /v2/auth/users/NAME (etcd's v2auth.User). Null lists are absent or JSON null.</summary>
internal sealed record V2UserBody(string User, string Password, string[]? Roles, string[]? Grant, string[]? Revoke);

/// <summary>A PUT body of /v2/auth/roles/NAME (etcd's v2auth.Role): permissions.kv, grant.kv, revoke.kv.</summary>
internal sealed record V2RoleBody(string Role, V2PermissionsBody Permissions, V2PermissionsBody? Grant, V2PermissionsBody? Revoke);

internal sealed record V2PermissionsBody(string[]? Read, string[]? Write)
{
    public static V2PermissionsBody None { get; } = new(null, null);

    /// <summary>etcd's Permissions.IsEmpty (also true for an absent one).</summary>
    public static bool IsEmpty(V2PermissionsBody? p) => p is null || ((p.Read?.Length ?? 0) == 0 && (p.Write?.Length ?? 0) == 0);

    public IEnumerable<string> All => (Read ?? []).Concat(Write ?? []);
}

/// <summary>
/// Decodes those bodies as Go's json.Decoder.Decode does: the first JSON value only (what follows is not read),
/// object keys matched without regard to case (the last of equal keys wins), unknown keys ignored, null leaving
/// a field at its zero value, a value of the wrong type an error. Throws <see cref="JsonException"/>.
/// </summary>
internal static class V2AuthBody
{
    public static V2UserBody ParseUser(ReadOnlySpan<byte> json)
    {
        using var doc = ParseFirstValue(json);
        var o = doc.RootElement;
        if (o.ValueKind == JsonValueKind.Null) return new V2UserBody("", "", null, null, null);
        ExpectObject(o);
        return new V2UserBody(String(o, "user"), String(o, "password"), Strings(o, "roles"), Strings(o, "grant"), Strings(o, "revoke"));
    }

    public static V2RoleBody ParseRole(ReadOnlySpan<byte> json)
    {
        using var doc = ParseFirstValue(json);
        var o = doc.RootElement;
        if (o.ValueKind == JsonValueKind.Null) return new V2RoleBody("", V2PermissionsBody.None, null, null);
        ExpectObject(o);
        return new V2RoleBody(String(o, "role"), Permissions(o, "permissions") ?? V2PermissionsBody.None, Permissions(o, "grant"), Permissions(o, "revoke"));
    }

    private static JsonDocument ParseFirstValue(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { AllowMultipleValues = true, MaxDepth = 64 });
        return JsonDocument.ParseValue(ref reader);
    }

    private static void ExpectObject(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object) throw new JsonException("not an object");
    }

    private static JsonElement? Property(JsonElement o, string name)
    {
        JsonElement? found = null;
        foreach (var p in o.EnumerateObject())
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)) found = p.Value;
        return found;
    }

    private static string String(JsonElement o, string name) => Property(o, name) is { } v ? StringValue(v) : "";

    private static string StringValue(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => v.GetString()!,
        JsonValueKind.Null => "",
        _ => throw new JsonException("not a string"),
    };

    private static string[]? Strings(JsonElement o, string name) => Property(o, name) is { } v ? StringsValue(v) : null;

    private static string[]? StringsValue(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.Array => v.EnumerateArray().Select(StringValue).ToArray(),
        JsonValueKind.Null => null,
        _ => throw new JsonException("not an array"),
    };

    /// <summary>A Permissions object's "kv": {"read": [...], "write": [...]}; null when the field is absent or null.</summary>
    private static V2PermissionsBody? Permissions(JsonElement o, string name)
    {
        if (Property(o, name) is not { } p || p.ValueKind == JsonValueKind.Null) return null;
        ExpectObject(p);
        if (Property(p, "kv") is not { } kv || kv.ValueKind == JsonValueKind.Null) return V2PermissionsBody.None;
        ExpectObject(kv);
        return new V2PermissionsBody(Strings(kv, "read"), Strings(kv, "write"));
    }
}
