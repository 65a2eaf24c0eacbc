using System.Text;
using Coordinator.Gateway.Auth;
using Coordinator.Grains.Store.V2Auth;
using Microsoft.AspNetCore.Http;

namespace Coordinator.Gateway.Http.V2;

/// <summary>
/// etcd 3.4's v2 access rules (v2http/client_auth.go): with v2 auth disabled everything is allowed and credentials
/// are not even read. Enabled: HTTP Basic credentials name the user (one bcrypt check per request, as etcd; never
/// under a lock, so a failed login delays only itself); without an Authorization header the verified client
/// certificate's common name does under --client-cert-auth, else the request acts as the guest role.
/// </summary>
public sealed class V2Access(IV2Node node, PasswordHasher hasher, AuthOptions options)
{
    /// <summary>etcd's hasRootAccess: the user must hold the root role (no guest).</summary>
    public async ValueTask<bool> HasRootAccessAsync(HttpContext context)
    {
        if (!node.V2Auth.Enabled) return true;
        var user = NoAuthorizationHeader(context) && options.ClientCertAuth ? UserFromCertificate(context) : await UserFromBasicAuthAsync(context);
        return user?.HasRole(V2AuthStore.RootName) ?? false;
    }

    /// <summary>etcd's hasWriteRootAccess: GET and HEAD are open, other methods need root.</summary>
    public ValueTask<bool> HasWriteRootAccessAsync(HttpContext context) =>
        context.Request.Method is "GET" or "HEAD" ? ValueTask.FromResult(true) : HasRootAccessAsync(context);

    /// <summary>etcd's hasKeyPrefixAccess: GET/HEAD need read, other methods write, on <paramref name="key"/> (the
    /// path after /v2/keys, as sent); a recursive request needs a '*' pattern covering it. The guest role's
    /// patterns are matched as plain ones even for recursive requests, as etcd does.</summary>
    public async ValueTask<bool> HasKeyAccessAsync(HttpContext context, string key, bool recursive)
    {
        var auth = node.V2Auth;
        if (!auth.Enabled) return true;
        var write = context.Request.Method is not ("GET" or "HEAD");
        V2AuthUser? user;
        if (NoAuthorizationHeader(context))
        {
            user = options.ClientCertAuth ? UserFromCertificate(context) : null;
            if (user is null) return auth.GetRole(V2AuthStore.GuestName)?.HasKeyAccess(key, write) ?? false;
        }
        else
        {
            user = await UserFromBasicAuthAsync(context);
            if (user is null) return false;
        }
        foreach (var name in user.Roles ?? [])
        {
            if (auth.GetRole(name) is not { } role) continue;
            if (recursive ? role.HasRecursiveAccess(key, write) : role.HasKeyAccess(key, write)) return true;
        }
        return false;
    }

    /// <summary>etcd's writeNoAuth: 401 {"message":"Insufficient credentials"} (no WWW-Authenticate, as etcd).</summary>
    public static Task WriteNoAuth(HttpContext context) => V2Http.HttpError(context, 401, "Insufficient credentials");

    private static bool NoAuthorizationHeader(HttpContext context) => string.IsNullOrEmpty(context.Request.Headers.Authorization.FirstOrDefault());

    /// <summary>Go's Request.BasicAuth then etcd's userFromBasicAuth: an unknown user or a wrong password is no user.</summary>
    private async ValueTask<V2AuthUser?> UserFromBasicAuthAsync(HttpContext context)
    {
        if (!TryParseBasic(context.Request.Headers.Authorization.FirstOrDefault(), out var name, out var password)) return null;
        if (node.V2Auth.GetUser(name) is not { } user) return null;
        if (!AuthInputLimits.PasswordFits(password)) return null;
        var ok = await hasher.VerifyAsync(password, Encoding.UTF8.GetBytes(user.PasswordHash), context.RequestAborted);
        return ok ? user : null;
    }

    internal static bool TryParseBasic(string? header, out string name, out string password)
    {
        name = password = "";
        const string prefix = "Basic ";
        if (header is null || header.Length < prefix.Length || !header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return false;
        string decoded;
        try { decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[prefix.Length..])); }
        catch (FormatException) { return false; }
        var colon = decoded.IndexOf(':');
        if (colon < 0) return false;
        name = decoded[..colon];
        password = decoded[(colon + 1)..];
        return true;
    }

    /// <summary>etcd's userFromClientCertificate: the verified certificate's common name, if such a user exists.</summary>
    private V2AuthUser? UserFromCertificate(HttpContext context) =>
        AuthGate.CommonName(context.Connection.ClientCertificate) is { } name ? node.V2Auth.GetUser(name) : null;
}
