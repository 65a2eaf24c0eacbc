namespace Coordinator.Silo.Storage;

/// <summary>A group of the shared log is already open in this process (or being removed): a second replica of
/// the same group on one member must not write its log.</summary>
public sealed class WalGroupInUseException(string message) : InvalidOperationException(message);
