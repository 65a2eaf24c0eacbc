using System.Collections.Immutable;

namespace Coordinator.Grains.Store.V2Auth;

/// <summary>One version of the v2 auth state. Immutable: readers hold it while the apply thread makes the next.</summary>
public sealed record V2AuthState(bool Enabled, ImmutableSortedDictionary<string, V2AuthUser> Users, ImmutableSortedDictionary<string, V2AuthRole> Roles)
{
    public static V2AuthState Initial { get; } = new(false,
        ImmutableSortedDictionary.Create<string, V2AuthUser>(StringComparer.Ordinal),
        ImmutableSortedDictionary.Create<string, V2AuthRole>(StringComparer.Ordinal));
}
