using Coordinator.Client;
using Coordinator.Tests.Integration.Faults;

namespace Coordinator.Tests.Nemesis;

/// <summary>Put / get / CAS on a few keys with unique values, from clients spread over the members. Checked for
/// linearizability per key, and against the server's history: nothing applied twice, nothing acknowledged lost,
/// no value read that was never written.</summary>
internal sealed class RegisterWorkload(NemesisCluster cluster, int clients, int seed) : IWorkload
{
    public const string Prefix = "/nemesis/register/";
    private static readonly string[] Keys = [Prefix + "a", Prefix + "b", Prefix + "c"];
    private readonly RegisterHistory _history = new();

    public string Name => "register";

    /// <summary>Acknowledged operations only: an unknown outcome constrains the checkers but proves little.</summary>
    public int CheckedOperations => _history.Operations.Count(o => o.Outcome == OpOutcome.Ok);

    public async Task RunAsync(CancellationToken stop)
    {
        var workers = Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            // Each client prefers one member (writes through followers) and fails over to the others.
            await using var connection = new FollowingClient(cluster, c, TimeSpan.FromSeconds(3));
            await RunClientAsync(c, connection, new Random(seed * 31 + c), stop);
        })).ToList();
        await Task.WhenAll(workers);
    }

    private async Task RunClientAsync(int c, FollowingClient connection, Random random, CancellationToken stop)
    {
        var lastRead = new Dictionary<string, string>();
        for (var seq = 0; !stop.IsCancellationRequested; seq++)
        {
            var key = Keys[random.Next(Keys.Length)];
            var value = $"r{c}-{seq}";
            var roll = random.Next(10);
            var op = roll < 4 ? _history.Invoke(c, OpKind.Put, key, value)
                : roll < 7 || !lastRead.ContainsKey(key) ? _history.Invoke(c, OpKind.Get, key)
                : _history.Invoke(c, OpKind.Cas, key, value, lastRead[key]);
            try
            {
                var client = connection.Client;
                switch (op.Kind)
                {
                    case OpKind.Put:
                        op.Revision = (await client.PutAsync(key, value, ct: CancellationToken.None)).Header.Revision;
                        break;
                    case OpKind.Get:
                        var kv = await client.GetAsync(key, CancellationToken.None);
                        op.Revision = kv?.ModRevision ?? 0;
                        op.ReadValue = kv?.Value.ToStringUtf8();
                        if (op.ReadValue is not null) lastRead[key] = op.ReadValue;
                        break;
                    case OpKind.Cas:
                        var txn = await client.Txn().If(Compare.Value(key) == op.Expected!).Then(Op.Put(key, value)).CommitAsync(CancellationToken.None);
                        op.Succeeded = txn.Succeeded;
                        op.Revision = txn.Header.Revision;
                        if (txn.Succeeded) lastRead[key] = value;
                        break;
                }
                _history.Complete(op, OpOutcome.Ok);
            }
            catch (Exception e)
            {
                // Any error may hide a write that still takes effect: the outcome is unknown.
                op.Error = e.GetType().Name + ": " + e.Message;
                _history.Complete(op, OpOutcome.Unknown);
                await Task.Delay(20, CancellationToken.None);
            }
        }
    }

    public Task<IReadOnlyList<string>> CheckAsync(ServerHistory history, CancellationToken ct)
    {
        var ops = _history.Operations;
        var applied = history.Under(Prefix).Where(e => !e.IsDelete).Select(e => new AppliedWrite(e.Key, e.Value, e.Revision)).ToList();
        var anomalies = RegisterChecker.Check(ops, applied).ToList();
        foreach (var key in Keys)
        {
            var (verdict, detail) = LinearizabilityChecker.Check(ops.Where(o => o.Key == key).ToList());
            if (verdict != Linearizability.Linearizable) anomalies.Add($"linearizability of {key}: {verdict}: {detail}");
        }
        return Task.FromResult<IReadOnlyList<string>>(anomalies);
    }

    public IEnumerable<string> Describe() => _history.Operations.Select(o => o.ToString());
}
