namespace Coordinator.Recipes;

/// <summary>The session's lease expired (or its key was deleted) while a recipe was waiting on it: whatever was
/// being acquired is not held.</summary>
public sealed class SessionExpiredException(string message) : Exception(message);
