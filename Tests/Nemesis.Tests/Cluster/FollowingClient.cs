using Coordinator.Client;

namespace Coordinator.Tests.Nemesis;

/// <summary>
/// One worker's connection to the cluster that follows its membership: a client over the current voters,
/// rotated so that each worker prefers another member, and the Lock/Election services on the preferred one.
/// Both are rebuilt when <see cref="NemesisCluster.MembershipVersion"/> moved since they were built; a worker
/// asks for them before each call, so a rebuild (which disposes the old ones) never cuts a call short.
/// Not thread-safe: one per worker.
/// </summary>
internal sealed class FollowingClient(NemesisCluster cluster, int worker, TimeSpan timeout) : IAsyncDisposable
{
    private CoordinatorClient? _client;
    private ConcurrencyServices? _services;
    private IReadOnlyList<NemesisCluster.Member> _order = [];
    private int _version = -1;

    /// <summary>Times the client was rebuilt for a new membership.</summary>
    public int Rebuilds { get; private set; }

    public CoordinatorClient Client
    {
        get
        {
            Follow();
            return _client ??= cluster.Client(_order, timeout);
        }
    }

    /// <summary>The client and the services on its preferred member, of one membership.</summary>
    public (CoordinatorClient Client, ConcurrencyServices Services) WithServices
    {
        get
        {
            var client = Client;
            return (client, _services ??= new ConcurrencyServices(_order[0].Endpoint));
        }
    }

    /// <summary>The voters in this worker's order: its preferred member first.</summary>
    public static IReadOnlyList<NemesisCluster.Member> Rotate(IReadOnlyList<NemesisCluster.Member> voters, int worker) =>
        voters.Skip(worker % voters.Count).Concat(voters.Take(worker % voters.Count)).ToList();

    private void Follow()
    {
        var (voters, version) = cluster.Membership;
        if (version == _version) return;
        if (_version >= 0) Rebuilds++;
        Close();
        _order = Rotate(voters, worker);
        _version = version;
    }

    private void Close()
    {
        _client?.Dispose();
        _services?.Dispose();
        _client = null;
        _services = null;
    }

    public ValueTask DisposeAsync()
    {
        Close();
        return ValueTask.CompletedTask;
    }
}
