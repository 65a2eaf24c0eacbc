using Coordinator.Grains.Store.Silos;
using Coordinator.Protocol.Internal;

namespace Coordinator.Silo.Hosting;

/// <summary>The member silos' membership table: written through the log, read after a read barrier
/// (linearizable: a read sees every write committed before it began).</summary>
public sealed partial class ReplicaHost
{
    public async Task<SiloTableResponse> ProposeSiloTableAsync(SiloTableCommand command, CancellationToken cancellationToken)
    {
        var result = await ProposeAsync(new RaftRequest { SiloTable = command }, cancellationToken);
        if (result.Error is { } error) throw error;
        return (SiloTableResponse)result.Response!;
    }

    public async Task<SiloTable.State> ReadSiloTableAsync(CancellationToken cancellationToken)
    {
        await ReadBarrierAsync(cancellationToken);
        return Store.Silos.Current;
    }
}
