using Xunit;

namespace Coordinator.Tests.Integration.V2;

/// <summary>
/// etcd 3.4's v2 auth (/v2/auth, HTTP Basic, the guest role) against real etcd 3.4 --enable-v2 and against
/// Coordinator: the same requests, with and without credentials, must give the same statuses, headers and JSON.
/// One script (auth state is the server's): users and roles before auth is enabled, then access to keys, members
/// and the auth API itself as guest, as a user, as root and with bad credentials, then disabling.
/// </summary>
[Trait("Category", "Integration")]
public sealed class V2AuthDifferentialTests(V2DifferentialFixture servers) : IClassFixture<V2DifferentialFixture>
{
    private const string Root = "root:rootpw";
    private const string Bob = "bob:bobpw";
    private const string Json = "application/json";

    private static V2Step As(string? user, string method, string path, string? body = null, string? contentType = Json, bool shape = false) =>
        WithHeader(user is null ? null : V2Curl.Basic(user), user ?? "guest", method, path, body, contentType, shape);

    private static V2Step WithHeader(string? authorization, string who, string method, string path, string? body = null, string? contentType = null, bool shape = false) =>
        new($"{who} {method} {path} {body}", async t =>
        {
            var r = await t.Curl.SendAsync(method, t.BaseUrl + path, body, body is null ? null : contentType, authorization: authorization);
            return V2Observation.Of(r, shape);
        });

    [Fact]
    public Task Users_roles_enable_and_access_with_basic_credentials_and_the_guest_role() => servers.RunAsync(
    [
        // Auth disabled: anyone manages it.
        As(null, "GET", "/v2/auth/enable"),
        As(null, "GET", "/v2/auth/users"),
        As(null, "GET", "/v2/auth/roles"),
        As(null, "GET", "/v2/auth/roles/root"),
        As(null, "PUT", "/v2/auth/enable"),
        As(null, "PUT", "/v2/auth/users/root", """{"user":"root","password":"first"}"""),
        As(null, "PUT", "/v2/auth/users/root", """{"user":"root","password":"rootpw"}"""),
        As(null, "PUT", "/v2/auth/users/bob", """{"user":"bob","password":"bobpw"}"""),
        As(null, "PUT", "/v2/auth/users/bob", """{"user":"bob"}"""),
        As(null, "PUT", "/v2/auth/users/bob", """{"user":"bob"}"""),
        As(null, "PUT", "/v2/auth/users/bob", """{"user":"alice","password":"x"}"""),
        As(null, "PUT", "/v2/auth/users/bob", "not json"),
        As(null, "PUT", "/v2/auth/users/bob", ""),
        As(null, "PUT", "/v2/auth/users/bob", """{"user":5}"""),
        As(null, "PUT", "/v2/auth/users/bob", """{"USER":"bob","Password":"bobpw"} trailing"""),
        As(null, "PUT", "/v2/auth/users/bob", """{"user":"bob","roles":["a"],"grant":["b"]}"""),
        As(null, "PUT", "/v2/auth/users/carol", """{"user":"carol","roles":["reader"]}"""),
        As(null, "PUT", "/v2/auth/users/carol", """{"user":"carol","password":"c","roles":["reader"]}"""),
        As(null, "PUT", "/v2/auth/users/carol", """{"user":"carol","password":"c","roles":["reader"]}"""),
        As(null, "PUT", "/v2/auth/users/dave", """{"user":"dave","password":"d","roles":[]}"""),
        As(null, "GET", "/v2/auth/users/carol"),
        As(null, "GET", "/v2/auth/users/root"),
        As(null, "GET", "/v2/auth/users/nobody"),
        As(null, "GET", "/v2/auth/users"),
        As(null, "GET", "/v2/auth/users/"),
        As(null, "GET", "/v2/auth/users/a/b"),
        As(null, "POST", "/v2/auth/users/bob"),
        As(null, "POST", "/v2/auth/users"),
        As(null, "DELETE", "/v2/auth/users/nobody"),
        As(null, "DELETE", "/v2/auth/users/dave"),
        As(null, "PUT", "/v2/auth/roles/root", """{"role":"root"}"""),
        As(null, "PUT", "/v2/auth/roles/reader", """{"role":"reader","permissions":{"kv":{"read":["/pub/*","/exact"]}}}"""),
        As(null, "PUT", "/v2/auth/roles/reader", """{"role":"reader","permissions":{"kv":{"read":["/pub/*"]}}}"""),
        As(null, "PUT", "/v2/auth/roles/writer", """{"role":"writer","permissions":{"kv":{"read":[],"write":["/priv/*"]}}}"""),
        As(null, "PUT", "/v2/auth/roles/empty", """{"role":"empty"}"""),
        As(null, "PUT", "/v2/auth/roles/reader", """{"role":"reader","grant":{"kv":{"read":["/pub/*"]}}}"""),
        As(null, "PUT", "/v2/auth/roles/reader", """{"role":"reader","grant":{"kv":{"write":["/w"]}},"permissions":{"kv":{"read":["/x"]}}}"""),
        As(null, "PUT", "/v2/auth/roles/reader", """{"role":"reader","revoke":{"kv":{"read":["/nothere"]}}}"""),
        As(null, "PUT", "/v2/auth/roles/reader", """{"role":"reader","revoke":{"kv":{"read":["/nothere"]}}}"""),
        As(null, "PUT", "/v2/auth/roles/writer", """{"role":"writer","grant":{"kv":{"write":["/w2","/w1"]}},"revoke":{"kv":{"write":["/w2"]}}}"""),
        As(null, "PUT", "/v2/auth/roles/nope", """{"role":"nope","grant":{"kv":{"read":["/a"]}}}"""),
        As(null, "PUT", "/v2/auth/roles/reader", """{"role":"other"}"""),
        As(null, "PUT", "/v2/auth/roles/reader", "{"),
        As(null, "GET", "/v2/auth/roles/reader"),
        As(null, "GET", "/v2/auth/roles/empty"),
        As(null, "GET", "/v2/auth/roles/nope"),
        As(null, "GET", "/v2/auth/roles"),
        As(null, "GET", "/v2/auth/roles/x/y"),
        As(null, "DELETE", "/v2/auth/roles/root"),
        As(null, "DELETE", "/v2/auth/roles/nope"),
        As(null, "DELETE", "/v2/auth/roles/empty"),
        As(null, "PUT", "/v2/auth/users/bob", """{"user":"bob","grant":["writer","reader"]}"""),
        As(null, "PUT", "/v2/auth/users/bob", """{"user":"bob","grant":["writer"]}"""),
        As(null, "PUT", "/v2/auth/users/bob", """{"user":"bob","revoke":["nothing"]}"""),
        As(null, "PUT", "/v2/auth/users/nobody", """{"user":"nobody","grant":["x"]}"""),
        As(null, "GET", "/v2/auth/users/bob"),
        As(null, "GET", "/v2/auth/users"),
        As(null, "PUT", "/v2/keys/pub/a", "value=1", null),
        As(null, "PUT", "/v2/keys/priv/b", "value=2", null),
        As(null, "PUT", "/v2/keys/exact", "value=3", null),
        // Enabled: the guest role appears with everything; only root manages auth.
        As("bob:wrong", "PUT", "/v2/auth/enable"), // still disabled: credentials are not even read
        As(null, "DELETE", "/v2/auth/enable"),
        As(null, "PUT", "/v2/auth/enable"),
        As(Root, "PUT", "/v2/auth/enable"),
        As(null, "GET", "/v2/auth/enable"),
        As(null, "DELETE", "/v2/auth/enable"),
        As(Bob, "DELETE", "/v2/auth/enable"),
        As(null, "GET", "/v2/auth/users"),
        As(Bob, "GET", "/v2/auth/users"),
        As("root:wrong", "GET", "/v2/auth/users"),
        As("nobody:x", "GET", "/v2/auth/users"),
        As(Root, "GET", "/v2/auth/users"),
        As(Root, "GET", "/v2/auth/roles/guest"),
        As(Root, "GET", "/v2/auth/roles"),
        As(null, "PUT", "/v2/auth/users/eve", """{"user":"eve","password":"e"}"""),
        As(Root, "DELETE", "/v2/auth/users/root"),
        As(null, "GET", "/v2/keys/pub/a", contentType: null),
        As(null, "GET", "/v2/keys", contentType: null),
        As(null, "GET", "/v2/keys/?sorted=true", contentType: null),
        As(null, "PUT", "/v2/keys/guest/k", "value=g", null),
        // The guest loses everything: only users' roles count now.
        As(Root, "PUT", "/v2/auth/roles/guest", """{"role":"guest","revoke":{"kv":{"read":["/*"],"write":["/*"]}}}"""),
        As(null, "GET", "/v2/keys/pub/a", contentType: null),
        As(Bob, "GET", "/v2/keys/pub/a", contentType: null),
        As(Bob, "HEAD", "/v2/keys/pub/a", contentType: null),
        As(Bob, "GET", "/v2/keys/pub/missing", contentType: null),
        As(Bob, "GET", "/v2/keys/pub?recursive=true", contentType: null),
        As(Bob, "GET", "/v2/keys/pub/?recursive=true", contentType: null),
        As(Bob, "GET", "/v2/keys/exact", contentType: null),
        As(Bob, "GET", "/v2/keys/exact?recursive=true", contentType: null),
        As(Bob, "PUT", "/v2/keys/pub/a", "value=x", null),
        As(Bob, "PUT", "/v2/keys/priv/b", "value=y", null),
        As(Bob, "GET", "/v2/keys/priv/b", contentType: null),
        As(Bob, "DELETE", "/v2/keys/priv?recursive=true", contentType: null),
        As(Bob, "DELETE", "/v2/keys/priv/?recursive=true", contentType: null),
        As(Bob, "POST", "/v2/keys/priv/q", "value=job", null, shape: true),
        As(Root, "GET", "/v2/keys/priv/b", contentType: null),
        As(Root, "GET", "/v2/keys/?recursive=true&sorted=true", contentType: null),
        As("bob:wrong", "GET", "/v2/keys/pub/a", contentType: null),
        WithHeader("Basic !!!", "malformed", "GET", "/v2/keys/pub/a"),
        WithHeader("Bearer token", "bearer", "GET", "/v2/keys/pub/a"),
        WithHeader("Basic " + Convert.ToBase64String("bob"u8.ToArray()), "no colon", "GET", "/v2/keys/pub/a"),
        WithHeader("", "empty header", "GET", "/v2/keys/priv/b"),
        As(Bob, "GET", "/v2/keys/pub/a?wait=true&waitIndex=1", contentType: null),
        As(null, "GET", "/v2/keys/pub/a?wait=true&waitIndex=1", contentType: null),
        // Members: the listing stays open, changes need root; stats are open.
        As(null, "GET", "/v2/members", contentType: null),
        As(null, "POST", "/v2/members", """{"peerURLs":["http://127.0.0.1:1"]}"""),
        As(Bob, "DELETE", "/v2/members/1234", contentType: null),
        As(Root, "GET", "/v2/members/leader", contentType: null),
        As(null, "GET", "/v2/stats/store", contentType: null, shape: true),
        As(null, "GET", "/v2/machines", contentType: null),
        // Deleting the guest role is allowed: without credentials nothing is reachable then.
        As(Root, "DELETE", "/v2/auth/roles/guest"),
        As(null, "GET", "/v2/keys/pub/a", contentType: null),
        As(Root, "PUT", "/v2/auth/users/bob", """{"user":"bob","password":"newpw"}"""),
        As(Bob, "GET", "/v2/keys/pub/a", contentType: null),
        As("bob:newpw", "GET", "/v2/keys/pub/a", contentType: null),
        As("bob:newpw", "DELETE", "/v2/auth/enable"),
        As(Root, "DELETE", "/v2/auth/enable"),
        As(Root, "DELETE", "/v2/auth/enable"),
        As(null, "GET", "/v2/keys/priv/b", contentType: null),
        As(null, "GET", "/v2/auth/roles"),
        As(null, "DELETE", "/v2/auth/users/root"),
        As(null, "GET", "/v2/auth/users"),
    ]);
}
