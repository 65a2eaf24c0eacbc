namespace Coordinator.Grains.Store.Auth;

/// <summary>A user as the auth store keeps it: the bcrypt hash (never the password), roles sorted by name.</summary>
public sealed record AuthUser(string Name, byte[] PasswordHash, IReadOnlyList<string> Roles, bool NoPassword)
{
    public bool HasRole(string role) => Roles.Contains(role, StringComparer.Ordinal);
}
