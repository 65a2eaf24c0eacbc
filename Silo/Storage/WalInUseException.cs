namespace Coordinator.Silo.Storage;

/// <summary>The member's shared log, or one of its groups, is already open in this process (or the group is
/// being removed): a second replica of the same group on one member must not write its log.</summary>
public sealed class WalInUseException(string message) : InvalidOperationException(message);
