namespace Coordinator.Client.Transport;

/// <summary>An SRV or host lookup that failed; the message names the name looked up and why.</summary>
internal sealed class DnsLookupFailure(string message) : Exception(message);
