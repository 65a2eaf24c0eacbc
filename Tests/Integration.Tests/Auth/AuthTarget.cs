using Authpb;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;

namespace Coordinator.Tests.Integration.Auth;

/// <summary>Raw etcd v3 gRPC clients on one endpoint (ours or etcd's), with the setup every auth test shares.</summary>
internal sealed class AuthTarget : IDisposable
{
    private readonly GrpcChannel _channel;

    public AuthTarget(string endpoint)
    {
        _channel = GrpcChannel.ForAddress("http://" + endpoint);
        Kv = new KV.KVClient(_channel);
        Watch = new Etcdserverpb.Watch.WatchClient(_channel);
        Lease = new Lease.LeaseClient(_channel);
        Cluster = new Cluster.ClusterClient(_channel);
        Maintenance = new Maintenance.MaintenanceClient(_channel);
        Auth = new Etcdserverpb.Auth.AuthClient(_channel);
        Lock = new V3lockpb.Lock.LockClient(_channel);
        Election = new V3electionpb.Election.ElectionClient(_channel);
    }

    public KV.KVClient Kv { get; }
    public Etcdserverpb.Watch.WatchClient Watch { get; }
    public Lease.LeaseClient Lease { get; }
    public Cluster.ClusterClient Cluster { get; }
    public Maintenance.MaintenanceClient Maintenance { get; }
    public Etcdserverpb.Auth.AuthClient Auth { get; }
    public V3lockpb.Lock.LockClient Lock { get; }
    public V3electionpb.Election.ElectionClient Election { get; }

    public static ByteString B(string s) => ByteString.CopyFromUtf8(s);

    public static Metadata WithToken(string? token) => token is null ? [] : new Metadata { { "token", token } };

    public async Task<string> LoginAsync(string user, string password) =>
        (await Auth.AuthenticateAsync(new AuthenticateRequest { Name = user, Password = password })).Token;

    /// <summary>root (role root), alice (readwrite on the prefix "allowed/"), bob (no role), carol (write only on the
    /// prefix "allowed/"); keys allowed/k and denied/k; then auth on.</summary>
    public async Task SetUpUsersAsync()
    {
        await Kv.PutAsync(new PutRequest { Key = B("allowed/k"), Value = B("1") });
        await Kv.PutAsync(new PutRequest { Key = B("denied/k"), Value = B("1") });
        await Auth.UserAddAsync(new AuthUserAddRequest { Name = "root", Password = "rootpw" });
        await Auth.UserGrantRoleAsync(new AuthUserGrantRoleRequest { User = "root", Role = "root" });
        await Auth.UserAddAsync(new AuthUserAddRequest { Name = "alice", Password = "alicepw" });
        await Auth.UserAddAsync(new AuthUserAddRequest { Name = "bob", Password = "bobpw" });
        await Auth.RoleAddAsync(new AuthRoleAddRequest { Name = "rw" });
        await Auth.RoleGrantPermissionAsync(new AuthRoleGrantPermissionRequest
        {
            Name = "rw", Perm = new Permission { PermType = Permission.Types.Type.Readwrite, Key = B("allowed/"), RangeEnd = B("allowed0") },
        });
        await Auth.UserGrantRoleAsync(new AuthUserGrantRoleRequest { User = "alice", Role = "rw" });
        await Auth.UserAddAsync(new AuthUserAddRequest { Name = "carol", Password = "carolpw" });
        await Auth.RoleAddAsync(new AuthRoleAddRequest { Name = "w" });
        await Auth.RoleGrantPermissionAsync(new AuthRoleGrantPermissionRequest
        {
            Name = "w", Perm = new Permission { PermType = Permission.Types.Type.Write, Key = B("allowed/"), RangeEnd = B("allowed0") },
        });
        await Auth.UserGrantRoleAsync(new AuthUserGrantRoleRequest { User = "carol", Role = "w" });
        await Auth.AuthEnableAsync(new AuthEnableRequest());
    }

    /// <summary>"OK" or "Code: message" of one call.</summary>
    public static async Task<string> OutcomeAsync(Func<Task> call)
    {
        try
        {
            await call();
            return "OK";
        }
        catch (RpcException e)
        {
            return $"{e.StatusCode}: {e.Status.Detail}";
        }
    }

    public void Dispose() => _channel.Dispose();
}
