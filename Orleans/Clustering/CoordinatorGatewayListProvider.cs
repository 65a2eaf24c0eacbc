using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Messaging;
using Orleans.Runtime;

namespace Coordinator.Orleans.Clustering;

/// <summary>Gateways for Orleans clients: the Active silos of the membership table that have a proxy port.</summary>
public sealed class CoordinatorGatewayListProvider(CoordinatorMembershipTable table, IOptions<GatewayOptions> gatewayOptions) : IGatewayListProvider
{
    public TimeSpan MaxStaleness => gatewayOptions.Value.GatewayListRefreshPeriod;

    public bool IsUpdatable => true;

    public Task InitializeGatewayListProvider() => table.InitializeMembershipTable(tryInitTableVersion: false);

    public async Task<IList<Uri>> GetGateways()
    {
        var data = await table.ReadAll().ConfigureAwait(false);
        return data.Members
            .Select(m => m.Item1)
            .Where(e => e.Status == SiloStatus.Active && e.ProxyPort != 0)
            .Select(e => SiloAddress.New(e.SiloAddress.Endpoint.Address, e.ProxyPort, e.SiloAddress.Generation).ToGatewayUri())
            .ToList();
    }
}
