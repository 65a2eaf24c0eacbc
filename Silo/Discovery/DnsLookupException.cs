namespace Coordinator.Silo.Discovery;

/// <summary>A name that could not be looked up; the message names it and the server asked.</summary>
internal sealed class DnsLookupException(string message) : Exception(message);
