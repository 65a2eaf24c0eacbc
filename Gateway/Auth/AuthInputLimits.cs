using System.Text;
using Coordinator.Grains.Store;
using Grpc.Core;

namespace Coordinator.Gateway.Auth;

/// <summary>
/// Bounds on what users and roles may be named and what a password may be, checked before a request is proposed
/// (entries already in a log stay valid). etcd 3.4 bounds names only by the request size (1.5 MiB) and lets Go's
/// bcrypt silently ignore a password's bytes past the 72nd, so that any password sharing its first 72 bytes logs in.
/// </summary>
public static class AuthInputLimits
{
    /// <summary>A name is a map key in every member's auth state, in every token and entry that names the user,
    /// and in every log line about it; 1 KiB is far above any certificate common name (at most 64 characters).</summary>
    public const int MaxNameBytes = 1024;

    /// <summary>bcrypt reads at most 72 bytes of a password.</summary>
    public const int MaxPasswordBytes = 72;

    public const string UserNameTooLongText = "etcdserver: user name is longer than 1024 bytes";
    public const string RoleNameTooLongText = "etcdserver: role name is longer than 1024 bytes";

    /// <summary>Go's bcrypt.ErrPasswordTooLong (golang.org/x/crypto 0.21+; an etcd built with it sends this as UNKNOWN).</summary>
    public const string PasswordTooLongText = "bcrypt: password length exceeds 72 bytes";

    public static void CheckUserName(string name)
    {
        if (Encoding.UTF8.GetByteCount(name) > MaxNameBytes) throw new StoreException(StatusCode.InvalidArgument, UserNameTooLongText);
    }

    public static void CheckRoleName(string name)
    {
        if (Encoding.UTF8.GetByteCount(name) > MaxNameBytes) throw new StoreException(StatusCode.InvalidArgument, RoleNameTooLongText);
    }

    public static void CheckNewPassword(string password)
    {
        if (!PasswordFits(password)) throw new StoreException(StatusCode.Unknown, PasswordTooLongText);
    }

    /// <summary>False for a password no stored hash can match in full (the first 72 bytes would match alone).</summary>
    public static bool PasswordFits(string password) => Encoding.UTF8.GetByteCount(password) <= MaxPasswordBytes;
}
