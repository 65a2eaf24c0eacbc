using System.Collections.Immutable;
using System.Text.Json;

namespace Coordinator.Grains.Store.V2Auth;

/// <summary>
/// The v2 auth store's section of a state-machine snapshot (<see cref="SnapshotSection"/> framing, magic "CV2A"):
/// UTF-8 JSON of the enabled flag, the users and the roles, each in name order. Snapshots written before the v2
/// auth store end before this section: the store is then empty and disabled.
/// </summary>
public static class V2AuthSnapshot
{
    public const uint FormatVersion = 1;
    private static ReadOnlySpan<byte> Magic => "CV2A"u8;

    private sealed record Body(bool Enabled, List<V2AuthUser> Users, List<V2AuthRole> Roles);

    public static byte[] Encode(V2AuthState state) => SnapshotSection.Encode(Magic, FormatVersion,
        JsonSerializer.SerializeToUtf8Bytes(new Body(state.Enabled, state.Users.Values.ToList(), state.Roles.Values.ToList())));

    /// <summary>The state in the section at the stream's position; <see cref="V2AuthState.Initial"/> when the stream
    /// ends there. Throws <see cref="InvalidDataException"/> when damaged.</summary>
    public static V2AuthState Read(Stream source)
    {
        var json = SnapshotSection.Read(source, Magic, FormatVersion, "v2 auth store");
        if (json is null) return V2AuthState.Initial;
        Body body;
        try { body = JsonSerializer.Deserialize<Body>(json) ?? throw new InvalidDataException("empty v2 auth store snapshot"); }
        catch (JsonException e) { throw new InvalidDataException("v2 auth store snapshot is damaged: " + e.Message, e); }
        if (body.Users is null || body.Roles is null || body.Users.Any(u => u?.Name is null || u.PasswordHash is null) || body.Roles.Any(r => r?.Name is null))
            throw new InvalidDataException("v2 auth store snapshot is damaged: a user or role without a name");
        try
        {
            return new V2AuthState(body.Enabled,
                body.Users.ToImmutableSortedDictionary(u => u.Name, u => u, StringComparer.Ordinal),
                body.Roles.ToImmutableSortedDictionary(r => r.Name, r => r, StringComparer.Ordinal));
        }
        catch (ArgumentException e) { throw new InvalidDataException("v2 auth store snapshot is damaged: a name twice", e); }
    }
}
