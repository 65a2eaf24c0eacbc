using Authpb;

namespace Coordinator.Grains.Store.Auth;

/// <summary>One user's merged read and write intervals over all its roles (etcd's unifiedRangePermissions).</summary>
public sealed record UserPermissions(KeyIntervals Read, KeyIntervals Write)
{
    public static UserPermissions For(AuthUser user, IReadOnlyDictionary<string, AuthRole> roles)
    {
        var read = new List<(byte[], byte[])>();
        var write = new List<(byte[], byte[])>();
        foreach (var name in user.Roles)
        {
            if (!roles.TryGetValue(name, out var role)) continue;
            foreach (var p in role.Permissions)
            {
                var interval = KeyIntervals.FromPermission(p.Key.ToByteArray(), p.RangeEnd.ToByteArray());
                if (p.PermType is Permission.Types.Type.Read or Permission.Types.Type.Readwrite) read.Add(interval);
                if (p.PermType is Permission.Types.Type.Write or Permission.Types.Type.Readwrite) write.Add(interval);
            }
        }
        return new UserPermissions(KeyIntervals.Of(read), KeyIntervals.Of(write));
    }
}
