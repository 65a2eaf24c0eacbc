namespace Coordinator.Silo.Transport;

/// <summary>Thrown when bytes received from a peer are not a well-formed encoding of Raft messages.</summary>
public sealed class RaftMessageFormatException(string message) : FormatException(message);
