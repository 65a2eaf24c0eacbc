namespace Coordinator.Grains.Store.Auth;

public sealed partial class AuthStore
{
    /// <summary>The state at this moment (immutable: encode it on any thread with <see cref="AuthStoreSnapshot.Encode"/>).</summary>
    public AuthState Capture() => _state;

    /// <summary>Replaces the state with a snapshot section (empty stream: a snapshot from before the auth store,
    /// so auth is off with no users). On a damaged section the state is untouched.</summary>
    public void Restore(Stream source)
    {
        var state = AuthStoreSnapshot.Read(source);
        Publish(state);
    }
}
