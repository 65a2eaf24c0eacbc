using Coordinator.Grains.Store;
using Coordinator.Protocol.Internal;
using Etcdserverpb;
using Xunit;
using static Coordinator.Tests.Store.TestStore;

namespace Coordinator.Tests.Store;

public class ConcurrencyTests
{
    /// <summary>Serializable reads run beside the apply loop and never see a half-applied txn.</summary>
    [Fact]
    public async Task ReadsDuringAppliesSeeWholeTransactions()
    {
        var store = new KvStore();
        using var done = new CancellationTokenSource();
        var writer = Task.Run(() =>
        {
            for (ulong i = 1; i <= 3000; i++)
            {
                store.Apply(new RaftRequest
                {
                    Txn = new TxnRequest { Success = { OpPut("a", i.ToString()), OpPut("b", i.ToString()) } },
                }, i);
            }
            done.Cancel();
        });
        var reads = 0;
        while (!done.IsCancellationRequested)
        {
            var r = store.Range(new RangeRequest { Key = B("a"), RangeEnd = B("c") });
            if (r.Kvs.Count == 2) Assert.Equal(r.Kvs[0].Value, r.Kvs[1].Value);
            Assert.Equal(r.Header.Revision, r.Kvs.Count == 0 ? 1 : r.Kvs[0].ModRevision);
            reads++;
        }
        await writer;
        Assert.True(reads > 0);
        Assert.Equal(3001, store.CurrentRevision);
    }
}
