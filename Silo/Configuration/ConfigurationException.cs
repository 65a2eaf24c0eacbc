namespace Coordinator.Silo.Configuration;

/// <summary>A bad flag value or an inconsistent set: the process prints the message on one line and exits 1.</summary>
public sealed class ConfigurationException(string message) : Exception(message);
