namespace Coordinator.Gateway.Auth;

/// <summary>
/// bcrypt (BCrypt.Net-Next) on the thread pool with bounded concurrency: a hash or a check costs one bcrypt and
/// never runs on the Raft loop; when more are asked at once they queue here, so repeated failed logins slow only
/// the logins. Passwords are never logged.
/// </summary>
public sealed class PasswordHasher(AuthOptions options)
{
    private readonly SemaphoreSlim _slots = new(options.MaxConcurrentHashes);

    public Task<byte[]> HashAsync(string password, CancellationToken cancellationToken) =>
        RunAsync(() => System.Text.Encoding.UTF8.GetBytes(BCrypt.Net.BCrypt.HashPassword(password, options.BcryptCost)), cancellationToken);

    /// <summary>True when <paramref name="password"/> matches the stored hash (false for a damaged hash).</summary>
    public Task<bool> VerifyAsync(string password, byte[] hash, CancellationToken cancellationToken) => RunAsync(() =>
    {
        try { return BCrypt.Net.BCrypt.Verify(password, System.Text.Encoding.UTF8.GetString(hash)); }
        catch (BCrypt.Net.SaltParseException) { return false; }
    }, cancellationToken);

    private async Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        try { return await Task.Run(work, cancellationToken); }
        finally { _slots.Release(); }
    }
}
