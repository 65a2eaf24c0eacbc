using Coordinator.Bench.Running;
using Google.Protobuf;
using V3lockpb;

namespace Coordinator.Bench.Workloads;

/// <summary>The same lock cycle through the v3lock service (Lock blocks server-side until acquired; Unlock deletes the key).</summary>
public sealed class LockServiceWorkload(WorkloadContext context) : LockWorkload(context)
{
    protected override async Task<ByteString> AcquireAsync(int caller, ByteString name, CancellationToken ct) =>
        (await Context.Client(caller).LockAsync(new LockRequest { Name = name, Lease = Leases[caller] }, ct)).Key;

    protected override Task ReleaseAsync(int caller, ByteString held, CancellationToken ct) =>
        Context.Client(caller).UnlockAsync(new UnlockRequest { Key = held }, ct);
}
