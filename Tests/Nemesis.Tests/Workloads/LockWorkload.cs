using System.Collections.Concurrent;
using Coordinator.Client;
using Google.Protobuf;

namespace Coordinator.Tests.Nemesis;

/// <summary>
/// The Lock service guarding a counter, with the documented fencing pattern: a holder reads the counter and
/// writes counter + 1 in a Txn that requires its lock key to still exist at the create revision it was granted
/// with (its fencing token) and the counter to be unchanged since the read. Checked against the counter's
/// history: every write is the previous value + 1 (no update lost or repeated), tokens never go back across
/// writes (strictly increase from one holder to the next), every acknowledged increment is there.
/// </summary>
internal sealed class LockWorkload(NemesisCluster cluster, int clients) : IWorkload
{
    public const string Prefix = "/nemesis/lock/";
    private const string LockName = Prefix + "mutex";
    private const string Counter = Prefix + "counter";

    private sealed record Attempt(int Client)
    {
        public long Token;
        public bool Locked, Incremented, Unknown;
        public string? Value;
        public long Revision;
        public string? Error;
        public override string ToString() => $"c{Client} token={Token} locked={Locked} incremented={Incremented} value={Value} rev={Revision} {Error}";
    }

    private readonly ConcurrentQueue<Attempt> _attempts = new();

    public string Name => "lock";

    public int CheckedOperations => _attempts.Count(a => a.Locked) * 2;

    public async Task RunAsync(CancellationToken stop)
    {
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            await using var connection = new FollowingClient(cluster, c, TimeSpan.FromSeconds(3));
            while (!stop.IsCancellationRequested)
            {
                var a = new Attempt(c);
                _attempts.Enqueue(a);
                ByteString? key = null;
                long lease = 0;
                // One connection for the whole attempt: the unlock goes where the lock was taken.
                var (client, services) = connection.WithServices;
                try
                {
                    lease = (await client.GrantAsync(5, ct: CancellationToken.None)).ID;
                    var locked = await services.LockAsync(LockName, lease, TimeSpan.FromSeconds(5), CancellationToken.None);
                    key = locked.Key;
                    var own = (await client.GetAsync(key.ToByteArray(), CancellationToken.None))
                              ?? throw new InvalidOperationException("lock key gone right after Lock returned");
                    a.Token = own.CreateRevision;
                    a.Locked = true;
                    var current = await client.GetAsync(Counter, CancellationToken.None);
                    var next = (current is null ? 0 : long.Parse(current.Value.ToStringUtf8().Split(' ')[0])) + 1;
                    a.Value = $"{next} {a.Token}";
                    a.Unknown = true;
                    var txn = await client.Txn()
                        .If(Compare.CreateRevision(KeyRange.Single(key.ToByteArray())) == a.Token, Compare.ModRevision(Counter) == (current?.ModRevision ?? 0))
                        .Then(Op.Put(Counter, a.Value))
                        .CommitAsync(CancellationToken.None);
                    a.Unknown = false;
                    a.Incremented = txn.Succeeded;
                    a.Revision = txn.Header.Revision;
                }
                catch (Exception e)
                {
                    a.Error = e.GetType().Name + ": " + e.Message;
                }
                finally
                {
                    try
                    {
                        if (key is not null) await services.UnlockAsync(key, TimeSpan.FromSeconds(3), CancellationToken.None);
                        if (lease != 0) await client.RevokeAsync(lease, CancellationToken.None);
                    }
                    catch (Exception) { /* the lease ends by itself */ }
                }
                if (a.Error is not null) await Task.Delay(50, CancellationToken.None);
            }
        })));
    }

    public Task<IReadOnlyList<string>> CheckAsync(ServerHistory history, CancellationToken ct) =>
        Task.FromResult(LockChecker.Check(history.Under(Counter).Where(e => !e.IsDelete && e.Key == Counter).ToList(),
            _attempts.Where(a => a.Incremented).Select(a => (a.Value!, a.Revision))));

    public IEnumerable<string> Describe() => _attempts.Select(a => a.ToString());
}
