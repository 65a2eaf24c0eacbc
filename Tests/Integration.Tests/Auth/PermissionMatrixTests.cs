using Etcdserverpb;
using Grpc.Core;
using Xunit;
using Xunit.Abstractions;
using static Coordinator.Tests.Integration.Auth.AuthTarget;

namespace Coordinator.Tests.Integration.Auth;

/// <summary>
/// Differential: the same matrix of calls × callers against a real etcd 3.4 and against Coordinator, both with
/// auth enabled, simple tokens with a 2 s ttl; every cell must have the same outcome (OK, or the same status code
/// and text; a watch: created, or canceled with the same reason). Callers: no token, a malformed token, an
/// expired token, a user without the permission, a user with write but not read, a user with it, root. Lock and
/// Election are checked on the keys they read and write, as etcd's (which run clientv3's recipes as the caller).
/// </summary>
public sealed class PermissionMatrixTests(ITestOutputHelper output)
{
    private sealed record Call(string Name, Func<AuthTarget, Metadata, Task<string>> Run);

    /// <summary>A lock or campaign left held by an earlier cell would block the next one forever; this bounds it
    /// (the cell then reads DeadlineExceeded and differs from etcd's).</summary>
    private static DateTime Soon() => DateTime.UtcNow.AddSeconds(15);

    private static Call Unary(string name, Func<AuthTarget, Metadata, Task> run) => new(name, (t, m) => OutcomeAsync(() => run(t, m)));

    private static readonly Call[] Calls =
    [
        Unary("Range allowed", (t, m) => t.Kv.RangeAsync(new RangeRequest { Key = B("allowed/k") }, m).ResponseAsync),
        Unary("Range allowed prefix", (t, m) => t.Kv.RangeAsync(new RangeRequest { Key = B("allowed/"), RangeEnd = B("allowed0") }, m).ResponseAsync),
        Unary("Range denied", (t, m) => t.Kv.RangeAsync(new RangeRequest { Key = B("denied/k") }, m).ResponseAsync),
        Unary("Range serializable denied", (t, m) => t.Kv.RangeAsync(new RangeRequest { Key = B("denied/k"), Serializable = true }, m).ResponseAsync),
        Unary("Range all", (t, m) => t.Kv.RangeAsync(new RangeRequest { Key = B("\0"), RangeEnd = B("\0") }, m).ResponseAsync),
        Unary("Put allowed", (t, m) => t.Kv.PutAsync(new PutRequest { Key = B("allowed/p"), Value = B("v") }, m).ResponseAsync),
        Unary("Put allowed prev_kv", (t, m) => t.Kv.PutAsync(new PutRequest { Key = B("allowed/p"), Value = B("v"), PrevKv = true }, m).ResponseAsync),
        Unary("Put denied", (t, m) => t.Kv.PutAsync(new PutRequest { Key = B("denied/p"), Value = B("v") }, m).ResponseAsync),
        Unary("Delete allowed", (t, m) => t.Kv.DeleteRangeAsync(new DeleteRangeRequest { Key = B("allowed/d") }, m).ResponseAsync),
        Unary("Delete denied range", (t, m) => t.Kv.DeleteRangeAsync(new DeleteRangeRequest { Key = B("allowed/"), RangeEnd = B("b") }, m).ResponseAsync),
        Unary("Txn allowed", (t, m) => t.Kv.TxnAsync(new TxnRequest
        {
            Compare = { new Compare { Key = B("allowed/k"), Target = Compare.Types.CompareTarget.Version, Result = Compare.Types.CompareResult.Greater } },
            Success = { new RequestOp { RequestPut = new PutRequest { Key = B("allowed/t"), Value = B("v") } } },
        }, m).ResponseAsync),
        Unary("Txn compare denied", (t, m) => t.Kv.TxnAsync(new TxnRequest
        {
            Compare = { new Compare { Key = B("denied/k"), Target = Compare.Types.CompareTarget.Version, Result = Compare.Types.CompareResult.Greater } },
            Success = { new RequestOp { RequestPut = new PutRequest { Key = B("allowed/t"), Value = B("v") } } },
        }, m).ResponseAsync),
        Unary("Txn failure branch denied", (t, m) => t.Kv.TxnAsync(new TxnRequest
        {
            Success = { new RequestOp { RequestPut = new PutRequest { Key = B("allowed/t"), Value = B("v") } } },
            Failure = { new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = B("denied/k") } } },
        }, m).ResponseAsync),
        Unary("Txn read-only denied", (t, m) => t.Kv.TxnAsync(new TxnRequest
        {
            Success = { new RequestOp { RequestRange = new RangeRequest { Key = B("denied/k") } } },
        }, m).ResponseAsync),
        Unary("Txn read-only allowed", (t, m) => t.Kv.TxnAsync(new TxnRequest
        {
            Success = { new RequestOp { RequestRange = new RangeRequest { Key = B("allowed/k") } } },
        }, m).ResponseAsync),
        Unary("LeaseGrant", (t, m) => t.Lease.LeaseGrantAsync(new LeaseGrantRequest { TTL = 60 }, m).ResponseAsync),
        Unary("LeaseRevoke unknown", (t, m) => t.Lease.LeaseRevokeAsync(new LeaseRevokeRequest { ID = 12345 }, m).ResponseAsync),
        Unary("LeaseTimeToLive unknown", (t, m) => t.Lease.LeaseTimeToLiveAsync(new LeaseTimeToLiveRequest { ID = 12345 }, m).ResponseAsync),
        Unary("MemberList", (t, m) => t.Cluster.MemberListAsync(new MemberListRequest(), m).ResponseAsync),
        Unary("MemberUpdate self", async (t, m) =>
        {
            var self = (await t.Cluster.MemberListAsync(new MemberListRequest())).Members[0];
            await t.Cluster.MemberUpdateAsync(new MemberUpdateRequest { ID = self.ID, PeerURLs = { self.PeerURLs } }, m);
        }),
        Unary("Status", (t, m) => t.Maintenance.StatusAsync(new StatusRequest(), m).ResponseAsync),
        Unary("HashKV", (t, m) => t.Maintenance.HashKVAsync(new HashKVRequest(), m).ResponseAsync),
        Unary("Defragment", (t, m) => t.Maintenance.DefragmentAsync(new DefragmentRequest(), m).ResponseAsync),
        Unary("Alarm get", (t, m) => t.Maintenance.AlarmAsync(new AlarmRequest { Action = AlarmRequest.Types.AlarmAction.Get }, m).ResponseAsync),
        Unary("UserList", (t, m) => t.Auth.UserListAsync(new AuthUserListRequest(), m).ResponseAsync),
        Unary("UserGet alice", (t, m) => t.Auth.UserGetAsync(new AuthUserGetRequest { Name = "alice" }, m).ResponseAsync),
        Unary("RoleGet rw", (t, m) => t.Auth.RoleGetAsync(new AuthRoleGetRequest { Role = "rw" }, m).ResponseAsync),
        Unary("RoleList", (t, m) => t.Auth.RoleListAsync(new AuthRoleListRequest(), m).ResponseAsync),
        Unary("RoleAdd", (t, m) => t.Auth.RoleAddAsync(new AuthRoleAddRequest { Name = "made-" + Guid.NewGuid().ToString("N")[..6] }, m).ResponseAsync),
        Unary("UserRevokeRole root", (t, m) => t.Auth.UserRevokeRoleAsync(new AuthUserRevokeRoleRequest { Name = "root", Role = "root" }, m).ResponseAsync),
        Unary("Lock allowed, unlock", async (t, m) =>
        {
            var held = await t.Lock.LockAsync(new V3lockpb.LockRequest { Name = B("allowed/lock") }, m, Soon());
            await t.Lock.UnlockAsync(new V3lockpb.UnlockRequest { Key = held.Key }, m);
        }),
        Unary("Lock denied", (t, m) => t.Lock.LockAsync(new V3lockpb.LockRequest { Name = B("denied/lock") }, m, Soon()).ResponseAsync),
        Unary("Lock under a lease, unlock", async (t, m) =>
        {
            var lease = await t.Lease.LeaseGrantAsync(new LeaseGrantRequest { TTL = 60 }, m);
            var held = await t.Lock.LockAsync(new V3lockpb.LockRequest { Name = B("allowed/lease-lock"), Lease = lease.ID }, m, Soon());
            await t.Lock.UnlockAsync(new V3lockpb.UnlockRequest { Key = held.Key }, m);
        }),
        Unary("Unlock denied key", (t, m) => t.Lock.UnlockAsync(new V3lockpb.UnlockRequest { Key = B("denied/lock/694d") }, m).ResponseAsync),
        Unary("Campaign allowed, proclaim, resign", async (t, m) =>
        {
            var lease = await t.Lease.LeaseGrantAsync(new LeaseGrantRequest { TTL = 60 }, m);
            var won = await t.Election.CampaignAsync(new V3electionpb.CampaignRequest { Name = B("allowed/election"), Lease = lease.ID, Value = B("a") }, m, Soon());
            await t.Election.ProclaimAsync(new V3electionpb.ProclaimRequest { Leader = won.Leader, Value = B("b") }, m);
            await t.Election.ResignAsync(new V3electionpb.ResignRequest { Leader = won.Leader }, m);
        }),
        Unary("Campaign denied", async (t, m) =>
        {
            var lease = await t.Lease.LeaseGrantAsync(new LeaseGrantRequest { TTL = 60 }, m);
            await t.Election.CampaignAsync(new V3electionpb.CampaignRequest { Name = B("denied/election"), Lease = lease.ID, Value = B("a") }, m, Soon());
        }),
        Unary("Leader allowed (none)", (t, m) => t.Election.LeaderAsync(new V3electionpb.LeaderRequest { Name = B("allowed/election") }, m).ResponseAsync),
        Unary("Leader denied", (t, m) => t.Election.LeaderAsync(new V3electionpb.LeaderRequest { Name = B("denied/election") }, m).ResponseAsync),
        // root's "Campaign denied" left a leader there (its lease lives 60 s): root sees it at once, others are refused.
        // (etcd ends a refused observation without a status: its Observe loop just stops.)
        new("Observe denied", async (t, m) =>
        {
            try
            {
                using var call = t.Election.Observe(new V3electionpb.LeaderRequest { Name = B("denied/election") }, m, Soon());
                return await call.ResponseStream.MoveNext(CancellationToken.None) ? "leader " + call.ResponseStream.Current.Kv.Value.ToStringUtf8() : "stream ended";
            }
            catch (RpcException e) { return $"{e.StatusCode}: {e.Status.Detail}"; }
        }),
        Unary("Proclaim denied", (t, m) => t.Election.ProclaimAsync(new V3electionpb.ProclaimRequest
        {
            Leader = new V3electionpb.LeaderKey { Name = B("denied/election"), Key = B("denied/election/694d"), Rev = 1, Lease = 0x694d },
            Value = B("b"),
        }, m).ResponseAsync),
        Unary("Resign denied", (t, m) => t.Election.ResignAsync(new V3electionpb.ResignRequest
        {
            Leader = new V3electionpb.LeaderKey { Name = B("denied/election"), Key = B("denied/election/694d"), Rev = 1, Lease = 0x694d },
        }, m).ResponseAsync),
        new("Watch allowed", (t, m) => WatchOutcomeAsync(t, m, "allowed/k", "")),
        new("Watch denied prefix", (t, m) => WatchOutcomeAsync(t, m, "denied/", "denied0")),
    ];

    private static async Task<string> WatchOutcomeAsync(AuthTarget target, Metadata metadata, string key, string end)
    {
        try
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            using var call = target.Watch.Watch(metadata, cancellationToken: cancel.Token);
            await call.RequestStream.WriteAsync(new WatchRequest { CreateRequest = new WatchCreateRequest { Key = B(key), RangeEnd = B(end) } });
            if (!await call.ResponseStream.MoveNext(cancel.Token)) return "stream ended";
            var r = call.ResponseStream.Current;
            return r.Canceled ? $"watch canceled: {r.CancelReason}" : r.Created ? "watch created" : "watch: other";
        }
        catch (RpcException e) { return $"{e.StatusCode}: {e.Status.Detail}"; }
    }

    /// <summary>Callers in order; a token is taken just before its row (the ttl is short).</summary>
    private static readonly string[] Callers =
        ["no token", "malformed token", "expired token", "bob (no permission)", "carol (write only)", "alice (permission)", "root"];

    private static async Task<Dictionary<(string, string), string>> RunMatrixAsync(AuthTarget target)
    {
        await target.SetUpUsersAsync();
        // Taken now, unused until its ttl (2 s) and etcd's 1 s expiry sweep have passed.
        var expired = await target.LoginAsync("alice", "alicepw");
        await Task.Delay(TimeSpan.FromSeconds(4));
        var cells = new Dictionary<(string, string), string>();
        foreach (var caller in Callers)
        {
            foreach (var call in Calls)
            {
                string? token = caller switch
                {
                    "no token" => null,
                    "malformed token" => "garbage",
                    "expired token" => expired,
                    "bob (no permission)" => await target.LoginAsync("bob", "bobpw"),
                    "carol (write only)" => await target.LoginAsync("carol", "carolpw"),
                    "alice (permission)" => await target.LoginAsync("alice", "alicepw"),
                    _ => await target.LoginAsync("root", "rootpw"),
                };
                cells[(caller, call.Name)] = await call.Run(target, WithToken(token));
            }
        }
        return cells;
    }

    [Fact]
    public async Task Every_call_is_allowed_and_denied_exactly_where_etcd_allows_and_denies_it()
    {
        using var etcd = new EtcdProcess("--auth-token-ttl", "2");
        using var cluster = new TestCluster(1, "--auth-token-ttl", "2");
        await etcd.WaitHealthyAsync();
        await cluster.StartAsync();
        using var theirs = new AuthTarget(etcd.Endpoint);
        using var ours = new AuthTarget(cluster.Members[0].Endpoint);

        var expected = await RunMatrixAsync(theirs);
        var actual = await RunMatrixAsync(ours);

        var mismatches = new List<string>();
        foreach (var caller in Callers)
        foreach (var call in Calls)
        {
            var e = expected[(caller, call.Name)];
            var a = actual[(caller, call.Name)];
            output.WriteLine($"{caller,-22} {call.Name,-28} etcd: {e,-70} ours: {a}");
            if (e != a) mismatches.Add($"{caller} × {call.Name}: etcd '{e}', ours '{a}'");
        }
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
        // The matrix is not trivial: both allow and deny somewhere for every kind of caller with a valid token.
        Assert.Contains(expected, c => c.Key.Item1 == "alice (permission)" && c.Value == "OK");
        Assert.Contains(expected, c => c.Key.Item1 == "alice (permission)" && c.Value.StartsWith("PermissionDenied", StringComparison.Ordinal));
    }
}
