using System.Security.Cryptography.X509Certificates;
using Coordinator.Grains.Store;
using Coordinator.Grains.Store.Auth;
using Coordinator.Protocol.Internal;
using Grpc.Core;

namespace Coordinator.Gateway.Auth;

/// <summary>
/// Who a call is (etcd's AuthInfoFromCtx): the token in the <c>token</c> metadata (or <c>authorization</c>, as
/// etcd's gateway sends it); without one, under --client-cert-auth, the verified client certificate's common
/// name. A token that resolves to nothing is refused with "invalid auth token" — even while auth is disabled,
/// as etcd does. The permission checks themselves are the auth store's.
/// </summary>
public sealed class AuthGate(ICoordinatorNode node, ITokenProvider tokens, AuthOptions options)
{
    public AuthStore Store => node.Store.Auth;

    internal KvStore Kv => node.Store;

    /// <summary>The call's user and revision, or null when it names none. Throws Unauthenticated for a bad token.</summary>
    public async ValueTask<AuthRequestHeader?> IdentifyAsync(ServerCallContext context)
    {
        var token = context.RequestHeaders.GetValue("token") ?? context.RequestHeaders.GetValue("authorization");
        if (token is not null)
        {
            var info = await tokens.ResolveAsync(token, context.CancellationToken) ?? throw AuthErrors.InvalidAuthToken();
            return new AuthRequestHeader { Username = info.User, AuthRevision = info.Revision };
        }
        if (!options.ClientCertAuth) return null;
        var certificate = context.GetHttpContext().Connection.ClientCertificate;
        return FromCertificate(certificate, context.RequestHeaders.GetValue("grpcgateway-accept") is not null);
    }

    /// <summary>etcd's AuthInfoFromTLS: the certificate's common name at the current revision; none through the
    /// HTTP gateway (whose certificate is the gateway's, not the caller's).</summary>
    internal AuthRequestHeader? FromCertificate(X509Certificate2? certificate, bool viaGateway)
    {
        if (viaGateway) return null;
        var commonName = CommonName(certificate);
        return commonName is null ? null : new AuthRequestHeader { Username = commonName, AuthRevision = Store.Revision };
    }

    /// <summary>Go's Subject.CommonName: the value of the subject's last CN attribute; null when none or empty.</summary>
    public static string? CommonName(X509Certificate2? certificate)
    {
        if (certificate is null) return null;
        string? commonName = null;
        foreach (var rdn in certificate.SubjectName.EnumerateRelativeDistinguishedNames())
            if (!rdn.HasMultipleElements && rdn.GetSingleElementType().Value == "2.5.4.3") commonName = rdn.GetSingleElementValue();
        return string.IsNullOrEmpty(commonName) ? null : commonName;
    }

    /// <summary>etcd's isWatchPermitted: null when the watch may be created, else the cancel reason (the stream
    /// goes on). Keys normalized as etcd does first: no key is "\0"; a from-key end is checked as its key alone
    /// (etcd 3.4 turns "\0" into an empty end before the check).</summary>
    public async ValueTask<string?> WatchRefusalAsync(Etcdserverpb.WatchCreateRequest create, ServerCallContext context)
    {
        if (!Store.Enabled && context.RequestHeaders.GetValue("token") is null && context.RequestHeaders.GetValue("authorization") is null) return null;
        AuthRequestHeader? who;
        try { who = await IdentifyAsync(context); }
        catch (StoreException e) { return GoStatusText(e); }
        var key = create.Key.Length == 0 ? new byte[] { 0 } : create.Key.ToByteArray();
        var end = create.RangeEnd.Span is [0] ? [] : create.RangeEnd.ToByteArray();
        return Store.CheckRange(who, key, end) switch
        {
            null => null,
            { Message: AuthErrors.InvalidAuthTokenText or AuthErrors.AuthOldRevisionText or AuthErrors.UserEmptyText } e => GoStatusText(e),
            _ => GoStatusText(AuthErrors.PermissionDenied()),
        };
    }

    /// <summary>etcd puts the gRPC error's Go text in the cancel reason: "rpc error: code = X desc = text".</summary>
    private static string GoStatusText(StoreException e) => $"rpc error: code = {e.Code} desc = {e.Message}";

    /// <summary>etcd's doSerialize tail: a read answered while the auth store changed is refused.</summary>
    public void CheckRevisionUnchanged(AuthRequestHeader? who)
    {
        if (who is not null && who.AuthRevision != 0 && who.AuthRevision != Store.Revision) throw AuthErrors.AuthOldRevision();
    }

    public static void ThrowIf(StoreException? denied)
    {
        if (denied is not null) throw denied;
    }
}
