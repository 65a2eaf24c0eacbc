namespace Coordinator.Silo.Storage;

/// <summary>A write or fsync failed; the WAL refuses every later write because what reached disk is unknown.
/// Reopen (recover) to continue.</summary>
public sealed class WalFailedException(string message, Exception? inner = null) : IOException(message, inner);
