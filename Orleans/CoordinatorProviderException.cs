namespace Coordinator.Orleans;

/// <summary>A provider call the store refused or could not complete; the message names the provider, the key and
/// the store's own error. Never thrown for an etag conflict: that is <c>InconsistentStateException</c> (grain
/// storage) or a <c>false</c> result (membership and reminder tables), as Orleans expects.</summary>
public sealed class CoordinatorProviderException(string message, Exception? inner = null) : Exception(message, inner);
