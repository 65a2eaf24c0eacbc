using Xunit;

namespace Coordinator.Tests.Store;

/// <summary>The generated descriptors must carry etcd's package, service and method names: they form the gRPC paths.</summary>
public class ProtocolTests
{
    [Theory]
    [InlineData("etcdserverpb.KV", "Range,Put,DeleteRange,Txn,Compact")]
    [InlineData("etcdserverpb.Watch", "Watch")]
    [InlineData("etcdserverpb.Lease", "LeaseGrant,LeaseRevoke,LeaseKeepAlive,LeaseTimeToLive,LeaseLeases")]
    [InlineData("etcdserverpb.Cluster", "MemberAdd,MemberRemove,MemberUpdate,MemberList,MemberPromote")]
    [InlineData("etcdserverpb.Maintenance", "Alarm,Status,Defragment,Hash,HashKV,Snapshot,MoveLeader")]
    [InlineData("etcdserverpb.Auth", "AuthEnable,AuthDisable,Authenticate,UserAdd,UserGet,UserList,UserDelete,UserChangePassword,UserGrantRole,UserRevokeRole,RoleAdd,RoleGet,RoleList,RoleDelete,RoleGrantPermission,RoleRevokePermission")]
    [InlineData("v3lockpb.Lock", "Lock,Unlock")]
    [InlineData("v3electionpb.Election", "Campaign,Proclaim,Leader,Observe,Resign")]
    public void ServicesHaveEtcdsNames(string service, string methods)
    {
        var files = new[]
        {
            Etcdserverpb.RpcReflection.Descriptor, V3lockpb.LockReflection.Descriptor, V3electionpb.ElectionReflection.Descriptor,
        };
        var descriptor = files.SelectMany(f => f.Services).Single(s => s.FullName == service);
        Assert.Equal(methods.Split(','), descriptor.Methods.Select(m => m.Name));
    }

    [Fact]
    public void KeyFieldNumbersMatchEtcd()
    {
        var kv = Mvccpb.KeyValue.Descriptor;
        Assert.Equal(["key:1", "create_revision:2", "mod_revision:3", "version:4", "value:5", "lease:6"],
            kv.Fields.InDeclarationOrder().Select(f => $"{f.Name}:{f.FieldNumber}"));
        Assert.Equal(64, Etcdserverpb.Compare.Descriptor.FindFieldByName("range_end").FieldNumber);
        Assert.Equal(11, Etcdserverpb.WatchResponse.Descriptor.FindFieldByName("events").FieldNumber);
        Assert.Equal("authpb.Permission", Authpb.Permission.Descriptor.FullName);
    }
}
