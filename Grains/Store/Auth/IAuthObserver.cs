namespace Coordinator.Grains.Store.Auth;

/// <summary>Told by the auth store, on the apply thread, about changes that tokens depend on (the token
/// provider lives outside the state machine: it owns clocks). Must not block.</summary>
public interface IAuthObserver
{
    /// <summary>A login was applied: <paramref name="token"/> now names <paramref name="user"/> on this member.</summary>
    void TokenIssued(string token, string user);

    /// <summary>The user was deleted or its password changed: its tokens are void.</summary>
    void UserInvalidated(string user);

    /// <summary>Auth was disabled (or the state replaced by a snapshot): every token is void.</summary>
    void AllInvalidated();
}
