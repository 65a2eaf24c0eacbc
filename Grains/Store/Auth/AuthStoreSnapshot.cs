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
        var json = JsonSerializer.SerializeToUtf8Bytes(body);
        var bytes = new byte[12 + json.Length + 4];
        Magic.CopyTo(bytes);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), FormatVersion);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), json.Length);
        json.CopyTo(bytes, 12);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(12 + json.Length), Crc32C.Compute(json));
        return bytes;
    }

    /// <summary>Reads a section written by <see cref="Encode"/>; an empty source is the initial state.
    /// Throws <see cref="InvalidDataException"/> when damaged.</summary>
    public static AuthState Read(Stream source)
    {
        Span<byte> header = stackalloc byte[12];
        var n = source.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        if (n == 0) return AuthState.Initial;
        if (n < header.Length || !header[..4].SequenceEqual(Magic)) throw new InvalidDataException("not an auth store snapshot section");
        var version = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        if (version != FormatVersion) throw new InvalidDataException($"unsupported auth store snapshot version {version}");
        var length = BinaryPrimitives.ReadInt32LittleEndian(header[8..]);
        if (length < 0) throw new InvalidDataException("bad auth store snapshot length");
        var json = new byte[length];
        Span<byte> crc = stackalloc byte[4];
        try
        {
            source.ReadExactly(json);
            source.ReadExactly(crc);
        }
        catch (EndOfStreamException e) { throw new InvalidDataException("auth store snapshot is truncated", e); }
        if (BinaryPrimitives.ReadUInt32LittleEndian(crc) != Crc32C.Compute(json)) throw new InvalidDataException("auth store snapshot checksum mismatch");
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
