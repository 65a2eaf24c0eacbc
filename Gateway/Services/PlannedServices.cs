using Coordinator.Gateway.Grpc;

namespace Coordinator.Gateway.Services;

/// <summary>etcd services we will serve later: registered so clients get a clear UNIMPLEMENTED message
/// instead of "unknown method". Registered first; a real service registered later replaces its entries.</summary>
public sealed class PlannedServices : IGrpcService
{
    private static readonly string[] AuthMethods =
    [
        "AuthEnable", "AuthDisable", "Authenticate", "UserAdd", "UserGet", "UserList", "UserDelete",
        "UserChangePassword", "UserGrantRole", "UserRevokeRole", "RoleAdd", "RoleGet", "RoleList", "RoleDelete",
        "RoleGrantPermission", "RoleRevokePermission",
    ];

    public void Register(GrpcMethodTable table)
    {
        foreach (var method in AuthMethods)
            table.Unimplemented($"/etcdserverpb.Auth/{method}", "coordinator: authentication is not implemented yet");
        table.Unimplemented("/etcdserverpb.Watch/Watch", "coordinator: the Watch service is not implemented yet");
    }
}
