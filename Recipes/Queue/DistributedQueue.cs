using System.Security.Cryptography;
using Coordinator.Client;

namespace Coordinator.Recipes;

/// <summary>A FIFO work queue (etcd's recipes.Queue layout): items are keys <c>name/&lt;unique suffix&gt;</c>
/// whose order is their create revision. Dequeue takes the oldest key with a Txn that deletes it only if it is
/// still the same key (create revision unchanged), so each item goes to exactly one consumer; an empty queue is
/// waited on with a watch for the next put. Items are not leased: they survive their producer.</summary>
public sealed class DistributedQueue
{
    private readonly CoordinatorClient _client;

    public DistributedQueue(CoordinatorClient client, string name)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(name);
        _client = client;
        Name = name;
    }

    public string Name { get; }

    public string Prefix => Name + "/";

    /// <summary>Appends <paramref name="value"/>; returns the item's key.</summary>
    public async Task<string> EnqueueAsync(string value, CancellationToken ct = default)
    {
        while (true)
        {
            // Time first (readable, roughly ordered), random tail against collisions; order is the create revision anyway.
            var key = $"{Prefix}{DateTime.UtcNow.Ticks:x16}-{RandomNumberGenerator.GetHexString(8, lowercase: true)}";
            var txn = await _client.Txn()
                .If(Compare.CreateRevision(key) == 0)
                .Then(Op.Put(key, value))
                .CommitAsync(ct).ConfigureAwait(false);
            if (txn.Succeeded) return key;
        }
    }

    /// <summary>Removes and returns the oldest item, waiting (by watch) while the queue is empty.</summary>
    public async Task<string> DequeueAsync(CancellationToken ct = default)
    {
        while (true)
        {
            var (item, revision) = await TryTakeAsync(ct).ConfigureAwait(false);
            if (item is not null) return item;
            if (revision > 0) await WaitingLine.WaitForPutAsync(_client, KeyRange.Prefix(Prefix), revision + 1, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Removes and returns the oldest item, or null when the queue is empty now.</summary>
    public async Task<string?> TryDequeueAsync(CancellationToken ct = default)
    {
        while (true)
        {
            var (item, revision) = await TryTakeAsync(ct).ConfigureAwait(false);
            if (item is not null || revision > 0) return item;
        }
    }

    /// <summary>(value, 0) when an item was taken; (null, read revision) when empty; (null, 0) when another
    /// consumer took the oldest item first (try again at once).</summary>
    private async Task<(string? Item, long Revision)> TryTakeAsync(CancellationToken ct)
    {
        var (oldest, revision) = await WaitingLine.FirstAsync(_client, Prefix, ct).ConfigureAwait(false);
        if (oldest is null) return (null, revision);
        var key = oldest.Key.ToByteArray();
        var take = await _client.Txn()
            .If(Compare.CreateRevision(KeyRange.Single(key)) == oldest.CreateRevision)
            .Then(Op.Delete(KeyRange.Single(key)))
            .CommitAsync(ct).ConfigureAwait(false);
        return take.Succeeded ? (oldest.Value.ToStringUtf8(), 0) : (null, 0);
    }
}
