using Coordinator.Client;
using Coordinator.Recipes;
using Microsoft.Extensions.Options;

namespace Coordinator.Orleans.Coordination;

/// <summary>Locks and elections for grains, from the silo's DI (<c>AddCoordinatorRecipes</c>). One client per silo,
/// owned here. A lock held by a grain belongs to the silo's session, not to the activation: release it (dispose the
/// handle) in the grain's OnDeactivateAsync, and never let its safety rest on the activation being unique — fence
/// every write with <see cref="LockFence"/> instead.</summary>
public sealed class CoordinatorRecipes : IAsyncDisposable
{
    private readonly CoordinatorRecipesOptions _options;

    public CoordinatorRecipes(IOptions<CoordinatorRecipesOptions> options)
    {
        _options = options.Value;
        Client = new CoordinatorClient(_options.Client);
    }

    /// <summary>The silo's client, for the other recipes (semaphore, queue, barrier) and fenced writes.</summary>
    public CoordinatorClient Client { get; }

    public DistributedLock Lock(string name) =>
        new(Client, name, new DistributedLockOptions { TimeToLive = _options.SessionTimeToLive });

    public Election Election(string name) =>
        new(Client, name, new ElectionOptions { TimeToLive = _options.SessionTimeToLive });

    public ValueTask DisposeAsync() => Client.DisposeAsync();
}
