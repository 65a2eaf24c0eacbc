namespace Coordinator.Grains.Store.Groups;

/// <summary>A partition command the map refuses (overlap, unknown prefix, a limit); the message is for the operator.</summary>
public sealed class GroupMapException(string message) : Exception(message);
