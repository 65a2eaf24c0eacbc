using Orleans;
using Orleans.Runtime;

namespace Coordinator.Orleans.Tests.Grains;

public interface ICounterGrain : IGrainWithStringKey
{
    Task<int> Increment();
    Task<int> Get();
    Task<string> Silo();
}

[GenerateSerializer]
public sealed class CounterState
{
    [Id(0)] public int Value { get; set; }
}

/// <summary>A counter persisted in the "store" grain storage after every increment.</summary>
public sealed class CounterGrain([PersistentState("counter", "store")] IPersistentState<CounterState> state, ILocalSiloDetails silo) : Grain, ICounterGrain
{
    public async Task<int> Increment()
    {
        state.State.Value++;
        await state.WriteStateAsync(); // a stale etag throws InconsistentStateException; Orleans then deactivates us
        return state.State.Value;
    }

    public Task<int> Get() => Task.FromResult(state.State.Value);

    public Task<string> Silo() => Task.FromResult(silo.SiloAddress.ToParsableString());
}
