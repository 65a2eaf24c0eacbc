namespace Coordinator.Gateway.Auth;

/// <summary>Issues and resolves auth tokens (etcd's TokenProvider): simple tokens or JWTs.</summary>
public interface ITokenProvider
{
    /// <summary>The user and auth revision a token stands for; null when it is unknown, expired or forged.</summary>
    ValueTask<TokenInfo?> ResolveAsync(string token, CancellationToken cancellationToken);

    /// <summary>The token to hand out after a login was applied (<paramref name="appliedToken"/> is the simple token
    /// the log made known to every member).</summary>
    string Issue(string user, ulong revision, string appliedToken);
}

/// <summary>Who a token names and the auth revision it was checked against.</summary>
public sealed record TokenInfo(string User, ulong Revision);
