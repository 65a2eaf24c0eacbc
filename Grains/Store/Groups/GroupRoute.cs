namespace Coordinator.Grains.Store.Groups;

/// <summary>Where a request goes: the one group that serves every key it touches, or — when it touches keys of
/// several groups — those groups, so the caller can refuse it naming them (never a silently partial answer).</summary>
public readonly record struct GroupRoute(ulong Group, IReadOnlyList<ulong> Spanned)
{
    public bool IsSingle => Spanned.Count == 0;

    public static GroupRoute To(ulong group) => new(group, Array.Empty<ulong>());
}
