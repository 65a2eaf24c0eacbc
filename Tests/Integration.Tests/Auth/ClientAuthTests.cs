using Coordinator.Client;
using Xunit;

namespace Coordinator.Tests.Integration.Auth;

/// <summary>The .NET client with a username and password, against Coordinator and against etcd 3.4: it gets a
/// token, uses it, and gets a new one by itself when the old one expired (1 s ttl) or the password changed.</summary>
public sealed class ClientAuthTests
{
    private static async Task ReauthenticatesAsync(string endpoint)
    {
        await using (var admin = new CoordinatorClient(endpoint))
        {
            await admin.UserAddAsync("root", "rootpw");
            await admin.UserGrantRoleAsync("root", "root");
            await admin.UserAddAsync("app", "apppw");
            await admin.RoleAddAsync("app");
            await admin.RoleGrantPermissionAsync("app", KeyRange.Prefix("/app/"), Authpb.Permission.Types.Type.Readwrite);
            await admin.UserGrantRoleAsync("app", "app");
            await admin.AuthEnableAsync();
            var anonymous = await Assert.ThrowsAsync<CoordinatorException>(() => admin.PutAsync("/app/x", "1"));
            Assert.Equal("etcdserver: user name is empty", anonymous.Detail);
        }

        await using var client = new CoordinatorClient(new CoordinatorClientOptions { Endpoints = [endpoint], Username = "app", Password = "apppw" });
        await client.PutAsync("/app/x", "1");
        var denied = await Assert.ThrowsAsync<CoordinatorException>(() => client.PutAsync("/other", "1"));
        Assert.Equal("etcdserver: permission denied", denied.Detail);

        await Task.Delay(TimeSpan.FromSeconds(3)); // past the token's ttl (and etcd's 1 s expiry sweep)
        await client.PutAsync("/app/x", "2");
        Assert.Equal("2", (await client.GetRangeAsync("/app/x")).Kvs.Single().Value.ToStringUtf8());

        await using var wrong = new CoordinatorClient(new CoordinatorClientOptions { Endpoints = [endpoint], Username = "app", Password = "nope" });
        var failed = await Assert.ThrowsAsync<CoordinatorException>(() => wrong.GetRangeAsync("/app/x"));
        Assert.Equal("etcdserver: authentication failed, invalid user ID or password", failed.Detail);
    }

    [Fact]
    public async Task Client_reauthenticates_when_its_token_expires_on_coordinator()
    {
        using var cluster = new TestCluster(1, "--auth-token-ttl", "1");
        await cluster.StartAsync();
        await ReauthenticatesAsync(cluster.Members[0].Endpoint);
    }

    [Fact]
    public async Task Client_reauthenticates_when_its_token_expires_on_etcd()
    {
        using var etcd = new EtcdProcess("--auth-token-ttl", "1");
        await etcd.WaitHealthyAsync();
        await ReauthenticatesAsync(etcd.Endpoint);
    }
}
