using System.Collections.Immutable;
using System.Buffers.Binary;
using System.Text.Json;

namespace Coordinator.Grains.Store.Auth;

/// <summary>
/// The auth store's section of a state-machine snapshot: "CAUS", u32 format version, i32 body length, body
/// (UTF-8 JSON: enabled flag, revision, users with their bcrypt hashes and roles, roles with their permissions),
/// u32 CRC-32C of the body. A snapshot written before the auth store existed has no such section: auth is then
/// disabled with no users or roles.
/// </summary>
public static class AuthStoreSnapshot
{
    public const uint FormatVersion = 1;
    private static ReadOnlySpan<byte> Magic => "CAUS"u8;

    internal sealed record PermissionImage(int Type, byte[] Key, byte[] RangeEnd);
    internal sealed record UserImage(string Name, byte[] PasswordHash, string[] Roles, bool NoPassword);
    internal sealed record RoleImage(string Name, PermissionImage[] Permissions);
    internal sealed record Body(bool Enabled, ulong Revision, UserImage[] Users, RoleImage[] Roles);

    public static byte[] Encode(AuthState state)
    {
        var body = new Body(state.Enabled, state.Revision,
            state.Users.Values.Select(u => new UserImage(u.Name, u.PasswordHash, u.Roles.ToArray(), u.NoPassword)).ToArray(),
            state.Roles.Values.Select(r => new RoleImage(r.Name,
                r.Permissions.Select(p => new PermissionImage((int)p.PermType, p.Key.ToByteArray(), p.RangeEnd.ToByteArray())).ToArray())).ToArray());
        return SnapshotSection.Encode(Magic, FormatVersion, JsonSerializer.SerializeToUtf8Bytes(body));
    }

    /// <summary>Reads a section written by <see cref="Encode"/>; an empty source is the initial state.
    /// Throws <see cref="InvalidDataException"/> when damaged.</summary>
    public static AuthState Read(Stream source)
    {
        var json = SnapshotSection.Read(source, Magic, FormatVersion, "auth store");
        if (json is null) return AuthState.Initial;
        Body body;
        try { body = JsonSerializer.Deserialize<Body>(json) ?? throw new InvalidDataException("empty auth store snapshot"); }
        catch (JsonException e) { throw new InvalidDataException("auth store snapshot is damaged: " + e.Message, e); }
        var users = body.Users.ToImmutableSortedDictionary(u => u.Name,
            u => new AuthUser(u.Name, u.PasswordHash, u.Roles, u.NoPassword), StringComparer.Ordinal);
        var roles = body.Roles.ToImmutableSortedDictionary(r => r.Name, r => new AuthRole(r.Name, r.Permissions.Select(p => new Authpb.Permission
        {
            PermType = (Authpb.Permission.Types.Type)p.Type,
            Key = Google.Protobuf.ByteString.CopyFrom(p.Key),
            RangeEnd = Google.Protobuf.ByteString.CopyFrom(p.RangeEnd),
        }).ToArray()), StringComparer.Ordinal);
        return new AuthState(body.Enabled, body.Revision, users, roles);
    }
}
