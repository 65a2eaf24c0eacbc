using Mvccpb;

namespace Coordinator.Gateway.Watch;

/// <summary>
/// Events of one publish or one history read, shared by every watch that matches them. Events are never
/// mutated: a watch without prev_kv gets a copy without it, made at most once per event.
/// </summary>
internal sealed class EventBatch(IReadOnlyList<Event> events)
{
    private Event?[]? _withoutPrevKv;

    public int Count => events.Count;

    public Event this[int index] => events[index];

    public Event For(int index, bool withPrevKv)
    {
        var change = events[index];
        if (withPrevKv || change.PrevKv is null) return change;
        _withoutPrevKv ??= new Event?[events.Count];
        return _withoutPrevKv[index] ??= new Event { Type = change.Type, Kv = change.Kv };
    }
}
