namespace Coordinator.Silo.Storage;

/// <summary>The WAL or snapshot files are damaged in a way recovery must not paper over
/// (acknowledged data may be lost). The message names the file and byte offset.</summary>
public sealed class WalCorruptException(string message) : IOException(message);
