using Coordinator.Client;

namespace Coordinator.Recipes;

/// <summary>A barrier (etcd's recipes.Barrier): while the key <see cref="Name"/> exists, <see cref="WaitAsync"/>
/// blocks; <see cref="ReleaseAsync"/> deletes it and every waiter, watching the key for its deletion, proceeds.</summary>
public sealed class DistributedBarrier
{
    private readonly CoordinatorClient _client;

    public DistributedBarrier(CoordinatorClient client, string name)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(name);
        _client = client;
        Name = name;
    }

    public string Name { get; }

    /// <summary>Raises the barrier; false when it was already up. <paramref name="lease"/> ties it to a session
    /// (it then falls when the session ends).</summary>
    public async Task<bool> HoldAsync(long lease = 0, CancellationToken ct = default)
    {
        var txn = await _client.Txn()
            .If(Compare.CreateRevision(Name) == 0)
            .Then(Op.Put(Name, "", lease))
            .CommitAsync(ct).ConfigureAwait(false);
        return txn.Succeeded;
    }

    /// <summary>Lowers the barrier: every waiter proceeds.</summary>
    public async Task ReleaseAsync(CancellationToken ct = default) =>
        await _client.DeleteAsync(Name, ct: ct).ConfigureAwait(false);

    /// <summary>Returns at once when the barrier is down, else when it is released.</summary>
    public async Task WaitAsync(CancellationToken ct = default)
    {
        var read = await _client.GetRangeAsync(Name, null, ct).ConfigureAwait(false);
        if (read.Kvs.Count == 0) return;
        await WaitingLine.WaitForDeleteAsync(_client, Name, read.Header.Revision + 1, ct).ConfigureAwait(false);
    }
}
