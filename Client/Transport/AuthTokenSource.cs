using Etcdserverpb;
using Grpc.Core;

namespace Coordinator.Client.Transport;

/// <summary>
/// The client's auth token when it has a username and password (etcd's clientv3 does the same): fetched with
/// Authenticate on first use, sent as the <c>token</c> metadata of every call, and fetched again when a member says
/// the token is invalid (expired, or unknown after a restart), the auth revision moved on, or the user name is
/// empty. One Authenticate at a time, however many calls need a token at once. The password is never logged.
/// </summary>
internal sealed class AuthTokenSource(string username, string password)
{
    private readonly SemaphoreSlim _fetching = new(1, 1);
    private volatile string? _token;

    /// <summary>The token in use, or null before the first fetch.</summary>
    public string? Current => _token;

    public async ValueTask<string> GetAsync(EtcdClients clients, CallOptions options)
    {
        if (_token is { } token) return token;
        return await RefreshAsync(clients, options, null).ConfigureAwait(false);
    }

    /// <summary>Replaces <paramref name="rejected"/> (unless another caller already did) with a new token.</summary>
    public async ValueTask<string> RefreshAsync(EtcdClients clients, CallOptions options, string? rejected)
    {
        await _fetching.WaitAsync(options.CancellationToken).ConfigureAwait(false);
        try
        {
            if (_token is { } current && current != rejected) return current;
            var response = await clients.Auth.AuthenticateAsync(new AuthenticateRequest { Name = username, Password = password },
                new CallOptions(deadline: options.Deadline, cancellationToken: options.CancellationToken)).ResponseAsync.ConfigureAwait(false);
            _token = response.Token;
            return response.Token;
        }
        finally
        {
            _fetching.Release();
        }
    }

    /// <summary>etcd's shouldRefreshToken: the answers a new token can fix, known by their text alone as clientv3's
    /// rpctypes.Error does (the Lock and Election services send them as UNKNOWN).</summary>
    public static bool ShouldRefresh(RpcException e) =>
        e.Status.Detail is "etcdserver: invalid auth token" or "etcdserver: revision of auth store is old" or "etcdserver: user name is empty";

    public static CallOptions WithToken(CallOptions options, string token)
    {
        var headers = new Metadata();
        if (options.Headers is { } existing) foreach (var entry in existing) headers.Add(entry);
        headers.Add("token", token);
        return options.WithHeaders(headers);
    }
}
