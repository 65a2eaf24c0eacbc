namespace Coordinator.Grains.Store;

/// <summary>
/// A lease as the state machine knows it. Expiry timing belongs to the leader's clock, not the store:
/// <see cref="RemainingTtl"/> is the last checkpoint (0 = none, so the full <see cref="GrantedTtl"/> applies).
/// </summary>
public sealed record LeaseInfo(long Id, long GrantedTtl, long RemainingTtl, IReadOnlyList<byte[]> Keys);
