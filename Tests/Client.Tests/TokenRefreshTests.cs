using Coordinator.Client.Transport;
using Grpc.Core;
using Xunit;

namespace Coordinator.Client.Tests;

/// <summary>Which refusals make the client log in again (clientv3's shouldRefreshToken): known by their text,
/// whatever the status code, since etcd's Lock and Election services send them as UNKNOWN.</summary>
public sealed class TokenRefreshTests
{
    private static RpcException Refusal(StatusCode code, string text) => new(new Status(code, text));

    [Theory]
    [InlineData(StatusCode.Unauthenticated, "etcdserver: invalid auth token")]
    [InlineData(StatusCode.Unknown, "etcdserver: invalid auth token")]
    [InlineData(StatusCode.InvalidArgument, "etcdserver: revision of auth store is old")]
    [InlineData(StatusCode.Unknown, "etcdserver: revision of auth store is old")]
    [InlineData(StatusCode.InvalidArgument, "etcdserver: user name is empty")]
    [InlineData(StatusCode.Unknown, "etcdserver: user name is empty")]
    public void A_token_refusal_asks_for_a_new_token(StatusCode code, string text) =>
        Assert.True(AuthTokenSource.ShouldRefresh(Refusal(code, text)));

    [Theory]
    [InlineData(StatusCode.PermissionDenied, "etcdserver: permission denied")]
    [InlineData(StatusCode.Unknown, "etcdserver: permission denied")]
    [InlineData(StatusCode.InvalidArgument, "etcdserver: authentication failed, invalid user ID or password")]
    [InlineData(StatusCode.Unavailable, "etcdserver: leader changed")]
    [InlineData(StatusCode.Unauthenticated, "some other text")]
    public void Other_refusals_do_not(StatusCode code, string text) =>
        Assert.False(AuthTokenSource.ShouldRefresh(Refusal(code, text)));
}
