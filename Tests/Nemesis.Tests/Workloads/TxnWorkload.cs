using System.Collections.Concurrent;
using System.Diagnostics;
using Coordinator.Client;
using TxnResponse = Etcdserverpb.TxnResponse;

namespace Coordinator.Tests.Nemesis;

/// <summary>Transactions over several keys: writers set three keys to one unique value in one Txn (some
/// guarded by a compare on the first key's mod_revision), readers read all three in one read-only Txn; checked
/// by <see cref="TxnAtomicityChecker"/>.</summary>
internal sealed class TxnWorkload(NemesisCluster cluster, int clients, int seed) : IWorkload
{
    public const string Prefix = "/nemesis/txn/";
    private static readonly string[] Keys = [Prefix + "x", Prefix + "y", Prefix + "z"];

    private sealed record TxnOp(int Client, bool IsWrite, string? Value, long InvokedTicks)
    {
        public bool Ok;
        public bool Succeeded;
        public long Revision;
        public string?[] Read = [];
        public string? Error;
        public override string ToString() =>
            $"c{Client} {(IsWrite ? $"write {Value}" : "read")} {(Ok ? $"ok rev={Revision} succeeded={Succeeded} read=[{string.Join(",", Read)}]" : $"unknown {Error}")}";
    }

    private readonly ConcurrentQueue<TxnOp> _ops = new();

    public string Name => "txn";

    /// <summary>Acknowledged transactions only.</summary>
    public int CheckedOperations => _ops.Count(o => o.Ok);

    public async Task RunAsync(CancellationToken stop)
    {
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            await using var connection = new FollowingClient(cluster, c, TimeSpan.FromSeconds(3));
            var random = new Random(seed * 17 + c);
            long lastSeenRevision = 0;
            for (var seq = 0; !stop.IsCancellationRequested; seq++)
            {
                var write = random.Next(2) == 0;
                var op = new TxnOp(c, write, write ? $"t{c}-{seq}" : null, Stopwatch.GetTimestamp());
                _ops.Enqueue(op);
                try
                {
                    var client = connection.Client;
                    TxnResponse response;
                    if (write)
                    {
                        var txn = client.Txn();
                        if (random.Next(2) == 0) txn.If(Compare.ModRevision(Keys[0]) == lastSeenRevision);
                        response = await txn.Then(Keys.Select(k => Op.Put(k, op.Value!)).ToArray()).CommitAsync(CancellationToken.None);
                    }
                    else
                    {
                        response = await client.Txn().Then(Keys.Select(k => Op.Get(k)).ToArray()).CommitAsync(CancellationToken.None);
                        op.Read = response.Responses.Select(r => r.ResponseRange.Kvs.Count == 0 ? null : r.ResponseRange.Kvs[0].Value.ToStringUtf8()).ToArray();
                        var first = response.Responses[0].ResponseRange.Kvs;
                        lastSeenRevision = first.Count == 0 ? 0 : first[0].ModRevision;
                    }
                    op.Succeeded = response.Succeeded;
                    op.Revision = response.Header.Revision;
                    op.Ok = true;
                }
                catch (Exception e)
                {
                    op.Error = e.GetType().Name + ": " + e.Message;
                    await Task.Delay(20, CancellationToken.None);
                }
            }
        })));
    }

    public Task<IReadOnlyList<string>> CheckAsync(ServerHistory history, CancellationToken ct) =>
        Task.FromResult(TxnAtomicityChecker.Check(history.Under(Prefix).Where(e => !e.IsDelete).ToList(), Keys.Length,
            _ops.Select(o => new TxnObservation(o.IsWrite, o.Value, o.Ok, o.Succeeded, o.Revision, o.Read)).ToList()));

    public IEnumerable<string> Describe() => _ops.Select(o => o.ToString());
}
