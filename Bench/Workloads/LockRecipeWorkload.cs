using Coordinator.Bench.Etcd;
using Grpc.Core;
using Coordinator.Bench.Running;
using Etcdserverpb;
using Google.Protobuf;
using Mvccpb;

namespace Coordinator.Bench.Workloads;

/// <summary>
/// The mutex etcdctl uses (clientv3/concurrency, etcd 3.4), built from KV, Txn, Watch and Lease:
/// create "name/&lt;lease hex&gt;" if absent and read the oldest key under the name in the same Txn; if that key is
/// not ours, repeatedly find the newest key created before ours and wait for its deletion. Release deletes our key.
/// </summary>
public sealed class LockRecipeWorkload(WorkloadContext context) : LockWorkload(context)
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(30);
    private WatchStream[] _watches = [];

    public override async Task SetupAsync(CancellationToken ct)
    {
        await base.SetupAsync(ct);
        _watches = Enumerable.Range(0, Options.Clients).Select(c => Context.Client(c).OpenWatch(ct)).ToArray();
    }

    protected override async Task<ByteString> AcquireAsync(int caller, ByteString name, CancellationToken ct)
    {
        var client = Context.Client(caller);
        var prefix = ByteString.CopyFromUtf8(name.ToStringUtf8() + "/");
        var myKey = ByteString.CopyFromUtf8(name.ToStringUtf8() + "/" + Leases[caller].ToString("x"));
        var prefixEnd = KeyRange.PrefixEnd(prefix);

        var txn = new TxnRequest();
        txn.Compare.Add(new Compare { Key = myKey, Target = Compare.Types.CompareTarget.Create, Result = Compare.Types.CompareResult.Equal, CreateRevision = 0 });
        var oldest = new RangeRequest { Key = prefix, RangeEnd = prefixEnd, SortOrder = RangeRequest.Types.SortOrder.Ascend, SortTarget = RangeRequest.Types.SortTarget.Create, Limit = 1 };
        txn.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = myKey, Lease = Leases[caller] } });
        txn.Success.Add(new RequestOp { RequestRange = oldest });
        txn.Failure.Add(new RequestOp { RequestRange = new RangeRequest { Key = myKey } });
        txn.Failure.Add(new RequestOp { RequestRange = oldest });
        var response = await client.TxnAsync(txn, ct);

        var myRevision = response.Succeeded ? response.Header.Revision : response.Responses[0].ResponseRange.Kvs[0].CreateRevision;
        var owner = response.Responses[1].ResponseRange.Kvs;
        if (owner.Count == 0 || owner[0].CreateRevision == myRevision)
            return myKey;
        try
        {
            await WaitForOlderDeletionsAsync(caller, prefix, prefixEnd, myRevision - 1, ct);
            return myKey;
        }
        catch
        {
            // Leave the queue so the callers behind us are not stuck on our key.
            await client.DeleteAsync(new DeleteRangeRequest { Key = myKey }, CancellationToken.None);
            throw;
        }
    }

    protected override Task ReleaseAsync(int caller, ByteString held, CancellationToken ct) =>
        Context.Client(caller).DeleteAsync(new DeleteRangeRequest { Key = held }, ct);

    /// <summary>Waits until no key under the name was created at or before <paramref name="maxCreateRevision"/>.</summary>
    private async Task WaitForOlderDeletionsAsync(int caller, ByteString prefix, ByteString prefixEnd, long maxCreateRevision, CancellationToken ct)
    {
        var client = Context.Client(caller);
        while (true)
        {
            var newestOlder = await client.RangeAsync(new RangeRequest
            {
                Key = prefix, RangeEnd = prefixEnd, Limit = 1, MaxCreateRevision = maxCreateRevision,
                SortOrder = RangeRequest.Types.SortOrder.Descend, SortTarget = RangeRequest.Types.SortTarget.Create,
            }, ct);
            if (newestOlder.Kvs.Count == 0)
                return;
            await WaitForDeleteAsync(caller, newestOlder.Kvs[0].Key, newestOlder.Header.Revision, ct);
        }
    }

    private async Task WaitForDeleteAsync(int caller, ByteString key, long fromRevision, CancellationToken ct)
    {
        var deleted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var watch = _watches[caller];
        var id = await watch.CreateAsync(new WatchCreateRequest { Key = key, StartRevision = fromRevision }, r =>
        {
            if (r.Canceled)
                deleted.TrySetException(new RpcException(new Status(StatusCode.Cancelled, "watch canceled: " + r.CancelReason)));
            foreach (var e in r.Events)
                if (e.Type == Event.Types.EventType.Delete)
                    deleted.TrySetResult();
        }).WaitAsync(WaitLimit, ct);
        try
        {
            await deleted.Task.WaitAsync(WaitLimit, ct);
        }
        finally
        {
            watch.Cancel(id);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        foreach (var w in _watches)
            await w.DisposeAsync();
        await base.DisposeAsync();
    }
}
