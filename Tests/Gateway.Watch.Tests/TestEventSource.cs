using Coordinator.Gateway;

namespace Coordinator.Tests.Gateway.Watch;

/// <summary>Stands in for the apply loop: whoever applies an entry publishes its events right after.</summary>
internal sealed class TestEventSource : IWatchEventSource
{
    private readonly List<Action<IReadOnlyList<Mvccpb.Event>, long>> _subscribers = [];

    public IDisposable Subscribe(Action<IReadOnlyList<Mvccpb.Event>, long> onApplied)
    {
        lock (_subscribers) _subscribers.Add(onApplied);
        return new Unsubscriber(() => { lock (_subscribers) _subscribers.Remove(onApplied); });
    }

    public void Publish(IReadOnlyList<Mvccpb.Event> events, long revision)
    {
        Action<IReadOnlyList<Mvccpb.Event>, long>[] subscribers;
        lock (_subscribers) subscribers = [.. _subscribers];
        foreach (var subscriber in subscribers) subscriber(events, revision);
    }

    private sealed class Unsubscriber(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}
