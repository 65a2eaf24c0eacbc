using System.Text;
using Coordinator.Grains.Store.V2Auth;

namespace Coordinator.Gateway.Http.V2;

/// <summary>etcd's v2auth types as Go's json.Encoder writes them: fields in declaration order, nil slices as null,
/// omitempty fields left out (a user's password, grant and revoke), a newline after the value.</summary>
internal static class V2AuthJson
{
    public static string Enabled(bool enabled) => enabled ? "{\"enabled\":true}\n" : "{\"enabled\":false}\n";

    /// <summary>etcd's User with the password cleared (PUT answers).</summary>
    public static string User(V2AuthUser user)
    {
        var b = GoJson.String(new StringBuilder("{\"user\":"), user.Name).Append(",\"roles\":");
        return Strings(b, user.Roles).Append("}\n").ToString();
    }

    /// <summary>etcd's userWithRoles: the user and its roles in full; no "roles" when it has none.</summary>
    public static StringBuilder UserWithRoles(StringBuilder b, string name, IReadOnlyList<V2AuthRole> roles)
    {
        GoJson.String(b.Append("{\"user\":"), name);
        if (roles.Count > 0)
        {
            b.Append(",\"roles\":[");
            for (var i = 0; i < roles.Count; i++) Role(i == 0 ? b : b.Append(','), roles[i]);
            b.Append(']');
        }
        return b.Append('}');
    }

    public static string Users(IReadOnlyList<(string Name, IReadOnlyList<V2AuthRole> Roles)> users)
    {
        var b = new StringBuilder("{\"users\":");
        if (users.Count == 0) return b.Append("null}\n").ToString();
        b.Append('[');
        for (var i = 0; i < users.Count; i++) UserWithRoles(i == 0 ? b : b.Append(','), users[i].Name, users[i].Roles);
        return b.Append("]}\n").ToString();
    }

    public static StringBuilder Role(StringBuilder b, V2AuthRole role)
    {
        GoJson.String(b.Append("{\"role\":"), role.Name).Append(",\"permissions\":{\"kv\":{\"read\":");
        Strings(b, role.Read).Append(",\"write\":");
        return Strings(b, role.Write).Append("}}}");
    }

    public static string Roles(IReadOnlyList<V2AuthRole> roles)
    {
        var b = new StringBuilder("{\"roles\":");
        if (roles.Count == 0) return b.Append("null}\n").ToString();
        b.Append('[');
        for (var i = 0; i < roles.Count; i++) Role(i == 0 ? b : b.Append(','), roles[i]);
        return b.Append("]}\n").ToString();
    }

    private static StringBuilder Strings(StringBuilder b, IReadOnlyList<string>? values)
    {
        if (values is null) return b.Append("null");
        b.Append('[');
        for (var i = 0; i < values.Count; i++) GoJson.String(i == 0 ? b : b.Append(','), values[i]);
        return b.Append(']');
    }
}
