using Coordinator.Orleans.Streams;
using Orleans;
using Orleans.Runtime;
using Orleans.Streams;

namespace Coordinator.Orleans.Tests.Grains;

public interface IKeyWatcherGrain : IGrainWithStringKey
{
    Task<long[]> Revisions();
    Task<string> Silo();
}

[GenerateSerializer]
public sealed class KeyWatcherState
{
    [Id(0)] public List<long> Revisions { get; set; } = new();
    [Id(1)] public long LastRevision { get; set; }
    // No initializers other than the type's default: Orleans' JSON storage serializer leaves default values out.
    [Id(2)] public int LastIndex { get; set; }
}

/// <summary>Implicitly subscribed to the key-change stream of the prefix that is its key. Records every change once
/// (a repeat after a failover has a token at or below the last one it saved) and saves before it acknowledges, so
/// a change is either saved or redelivered.</summary>
[ImplicitStreamSubscription(StreamNamespace)]
public sealed class KeyWatcherGrain([PersistentState("watcher", "store")] IPersistentState<KeyWatcherState> state, ILocalSiloDetails silo) : Grain, IKeyWatcherGrain
{
    public const string StreamNamespace = "watched-keys";

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var stream = this.GetStreamProvider("keys").GetStream<KeyChange>(StreamId.Create(StreamNamespace, this.GetPrimaryKeyString()));
        await stream.SubscribeAsync(OnChange);
    }

    private async Task OnChange(KeyChange change, StreamSequenceToken? token)
    {
        var (revision, index) = (token!.SequenceNumber, token.EventIndex);
        // A repeat (at-least-once after a failover) is at or below the last saved token; a real change has revision > 0.
        if ((revision, index).CompareTo((state.State.LastRevision, state.State.LastIndex)) <= 0 && state.State.LastRevision > 0) return;
        state.State.Revisions.Add(change.Revision);
        (state.State.LastRevision, state.State.LastIndex) = (revision, index);
        await state.WriteStateAsync();
    }

    public Task<long[]> Revisions() => Task.FromResult(state.State.Revisions.ToArray());

    public Task<string> Silo() => Task.FromResult(silo.SiloAddress.ToParsableString());
}
