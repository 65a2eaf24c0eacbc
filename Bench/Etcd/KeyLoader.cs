using Etcdserverpb;
using Google.Protobuf;

namespace Coordinator.Bench.Etcd;

/// <summary>
/// Writes many keys quickly: transactions of up to 128 puts (etcd's default --max-txn-ops), several in flight,
/// or plain Puts (<c>putsPerRequest: 1</c>, as an application writes). Used to preload key spaces, and by
/// compare mode for the memory and restart measurements.
/// </summary>
public static class KeyLoader
{
    public const int PutsPerTxn = 128;

    public static async Task LoadAsync(ConnectionPool pool, long count, Func<long, ByteString> key, ByteString value,
        int inFlight, CancellationToken ct, Action<long>? progress = null, int putsPerRequest = PutsPerTxn)
    {
        long next = 0, done = 0;
        async Task Loader(int caller)
        {
            var client = pool.For(caller);
            while (true)
            {
                var first = Interlocked.Add(ref next, putsPerRequest) - putsPerRequest;
                if (first >= count)
                    return;
                if (putsPerRequest == 1)
                {
                    await client.PutAsync(new PutRequest { Key = key(first), Value = value }, ct);
                    progress?.Invoke(Interlocked.Increment(ref done));
                    continue;
                }
                var txn = new TxnRequest();
                for (var n = first; n < Math.Min(count, first + putsPerRequest); n++)
                    txn.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = key(n), Value = value } });
                await client.TxnAsync(txn, ct);
                progress?.Invoke(Interlocked.Add(ref done, txn.Success.Count));
            }
        }
        await Task.WhenAll(Enumerable.Range(0, inFlight).Select(Loader));
    }
}
