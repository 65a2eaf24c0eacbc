namespace Coordinator.Silo.Discovery;

/// <summary>The registry did not answer (connection failed, timed out, or a 5xx): retried with backoff, as etcd
/// retries its client's ClusterError. The message names the request and what went wrong.</summary>
internal sealed class RegistryUnavailableException(string message) : Exception(message);
