using Xunit;

namespace Coordinator.Tests.Integration.V2;

/// <summary>
/// etcdctl 3.4's v2 user, role and auth commands (ETCDCTL_API=2) against real etcd 3.4 --enable-v2 and against
/// Coordinator: each prints the same and exits the same, including the allowed and denied reads and writes once
/// auth is enabled. Passwords go in as user:password (etcdctl prompts only when the colon is missing).
/// </summary>
[Trait("Category", "Integration")]
public sealed class EtcdctlV2AuthTests(V2DifferentialFixture servers) : IClassFixture<V2DifferentialFixture>
{
    private const string Root = "--username=root:rootpw";
    private const string Bob = "--username=bob:bobpw";

    [Fact]
    public async Task User_role_and_auth_commands_and_denied_access_print_what_etcd_prints()
    {
        string[][] commands =
        [
            ["user", "add", "root:rootpw"],
            ["user", "add", "bob:bobpw"],
            ["user", "list"],
            ["role", "add", "reader"],
            ["role", "add", "reader"],
            ["role", "grant", "reader", "--read", "--path", "/pub/*"],
            ["role", "grant", "reader", "--readwrite", "--path", "/rw"],
            ["role", "grant", "reader", "--read", "--path", "/pub/*"],
            ["role", "grant", "reader", "--write", "--path", "/pub/../x"],
            ["role", "grant", "reader", "--read", "--write", "--path", "/y"],
            ["role", "grant", "nope", "--read", "--path", "/y"],
            ["role", "revoke", "reader", "--write", "--path", "/never"],
            ["role", "get", "reader"],
            ["role", "get", "nope"],
            ["role", "list"],
            ["user", "grant", "bob", "--roles", "reader"],
            ["user", "grant", "bob", "--roles", "reader"],
            ["user", "revoke", "bob", "--roles", "nope"],
            ["user", "grant", "bob"],
            ["user", "get", "bob"],
            ["user", "get", "root"],
            ["user", "get", "nobody"],
            ["set", "/pub/a", "1"],
            ["set", "/secret", "s"],
            ["auth", "enable"],
            ["auth", "enable"],
            [Root, "auth", "enable"],
            // The guest role (created with everything) loses it: without credentials nothing is allowed.
            [Root, "role", "get", "guest"],
            [Root, "role", "revoke", "guest", "--readwrite", "--path", "/*"],
            ["get", "/pub/a"],
            ["set", "/pub/b", "2"],
            [Bob, "get", "/pub/a"],
            [Bob, "set", "/pub/a", "2"],
            [Bob, "set", "/rw", "ok"],
            [Bob, "get", "/rw"],
            [Bob, "get", "/secret"],
            [Bob, "rm", "/secret"],
            [Bob, "ls", "/pub"],
            [Bob, "ls", "--recursive", "/pub"],
            ["--username=bob:wrong", "get", "/pub/a"],
            ["--username=nobody:x", "get", "/pub/a"],
            [Root, "get", "/secret"],
            [Root, "set", "/pub/a", "3"],
            [Bob, "get", "/pub/a"],
            ["user", "list"],
            [Bob, "user", "list"],
            [Bob, "role", "add", "mine"],
            [Root, "user", "list"],
            [Root, "user", "remove", "root"],
            [Bob, "auth", "disable"],
            ["member", "list"],
            [Root, "role", "remove", "guest"],
            [Root, "role", "remove", "root"],
            [Root, "auth", "disable"],
            ["auth", "disable"],
            ["get", "/secret"],
            ["user", "revoke", "bob", "--roles", "reader"],
            ["role", "remove", "reader"],
            ["user", "remove", "bob"],
            ["user", "remove", "bob"],
            ["user", "list"],
        ];
        var differences = new List<string>();
        foreach (var args in commands)
        {
            var etcd = await EtcdctlV2DifferentialTests.Run(servers.EtcdUrl, args);
            var ours = await EtcdctlV2DifferentialTests.Run(servers.CoordinatorUrl, args);
            if (etcd != ours) differences.Add($"etcdctl {string.Join(' ', args)}\n--- etcd:\n{etcd}\n--- coordinator:\n{ours}");
        }
        Assert.True(differences.Count == 0, string.Join("\n\n", differences));
    }
}
