using Coordinator.Client;

namespace Coordinator.Orleans.Streams;

/// <summary>The last position delivered to every consumer of a prefix, one key per prefix. Kept in the store so
/// that whichever silo reads the queue next (after a failure or a rebalance) resumes right after it.</summary>
internal sealed class StreamCheckpoints(CoordinatorClient client, string prefix)
{
    public string KeyOf(string watchedPrefix) => prefix + KeyLayout.Escape(watchedPrefix);

    public async Task<StreamPosition?> ReadAsync(string watchedPrefix, CancellationToken ct)
    {
        var key = KeyOf(watchedPrefix);
        var kv = await client.GetAsync(key, ct).ConfigureAwait(false);
        if (kv is null) return null;
        return StreamPosition.Parse(kv.Value.ToStringUtf8())
            ?? throw new CoordinatorProviderException($"stream checkpoint {key} holds \"{kv.Value.ToStringUtf8()}\", not a position");
    }

    /// <summary>Moves the checkpoint forward to <paramref name="position"/>, never back: two receivers of one queue
    /// during a hand-over may both report, and the compare keeps the later position.</summary>
    public async Task AdvanceAsync(string watchedPrefix, StreamPosition position, CancellationToken ct)
    {
        var key = KeyOf(watchedPrefix);
        var text = position.Format();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var advanced = await client.Txn()
                .If(Compare.Value(key) < text)
                .Then(Op.Put(key, text))
                .Else(Op.Get(key))
                .CommitAsync(ct).ConfigureAwait(false);
            if (advanced.Succeeded || advanced.Responses[0].ResponseRange.Kvs.Count > 0) return; // moved, or already at or past it
            var created = await client.Txn() // no checkpoint yet: a value compare on a missing key is false
                .If(Compare.CreateRevision(key) == 0)
                .Then(Op.Put(key, text))
                .CommitAsync(ct).ConfigureAwait(false);
            if (created.Succeeded) return;
        }
    }
}
