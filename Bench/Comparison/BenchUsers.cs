using Authpb;
using Coordinator.Bench.Etcd;
using Etcdserverpb;
using Google.Protobuf;

namespace Coordinator.Bench.Comparison;

/// <summary>
/// compare --auth: user root (role root) and user bench with role bench (readwrite on the prefix "bench/", where
/// every row writes), then auth on. The rows run as bench, so every request pays the permission check.
/// </summary>
public static class BenchUsers
{
    public const string User = "bench";
    public const string Password = "bench-password";

    public static async Task EnableAsync(string endpoint, ClientSecurity transport, CancellationToken ct)
    {
        using var client = new EtcdClient(endpoint, transport);
        var auth = client.Auth;
        await auth.UserAddAsync(new AuthUserAddRequest { Name = "root", Password = "root-password" }, cancellationToken: ct);
        await auth.UserGrantRoleAsync(new AuthUserGrantRoleRequest { User = "root", Role = "root" }, cancellationToken: ct);
        await auth.RoleAddAsync(new AuthRoleAddRequest { Name = User }, cancellationToken: ct);
        await auth.RoleGrantPermissionAsync(new AuthRoleGrantPermissionRequest
        {
            Name = User,
            Perm = new Permission { PermType = Permission.Types.Type.Readwrite, Key = ByteString.CopyFromUtf8("bench/"), RangeEnd = ByteString.CopyFromUtf8("bench0") },
        }, cancellationToken: ct);
        await auth.UserAddAsync(new AuthUserAddRequest { Name = User, Password = Password }, cancellationToken: ct);
        await auth.UserGrantRoleAsync(new AuthUserGrantRoleRequest { User = User, Role = User }, cancellationToken: ct);
        await auth.AuthEnableAsync(new AuthEnableRequest(), cancellationToken: ct);
    }

    public static ClientSecurity As(ClientSecurity transport) => transport with { User = User, Password = Password };
}
