using Xunit;

namespace Coordinator.Tests.Integration.V2;

/// <summary>Bad input to /v2/auth on a running member: a clear error, nothing stored, the member keeps serving.
/// Here Coordinator bounds what etcd 3.4 does not: names (1 KiB, as v3 auth), passwords (72 bytes: bcrypt reads
/// no more, so etcd lets any password sharing the first 72 bytes log in), bodies (1 MiB), and empty key patterns
/// (etcd stores them, then drops the connection of every access check that reaches one).</summary>
[Trait("Category", "Integration")]
public sealed class V2AuthBadInputTests : IAsyncLifetime
{
    private readonly TestCluster _cluster = new(1);
    private readonly V2Curl _curl = new();
    private string Url => _cluster.Members[0].ClientUrl;

    public Task InitializeAsync() => _cluster.StartPublishedAsync();

    public Task DisposeAsync()
    {
        _curl.Dispose();
        _cluster.Dispose();
        return Task.CompletedTask;
    }

    private Task<V2Response> Put(string path, string json, string? user = null) =>
        _curl.SendAsync("PUT", Url + path, json, "application/json", authorization: user is null ? null : V2Curl.Basic(user));

    private static void Refused(V2Response r, int status, string message) =>
        Assert.True(r.Status == status && r.Body == "{\"message\":\"" + message + "\"}", r.ToString());

    [Fact]
    public async Task Huge_names_passwords_bodies_and_empty_patterns_are_refused_and_store_nothing()
    {
        var longName = new string('n', 1025);
        Refused(await Put("/v2/auth/users/" + longName, $$"""{"user":"{{longName}}","password":"p"}"""), 400, "auth: user name is longer than 1024 bytes");
        Refused(await Put("/v2/auth/roles/" + longName, $$"""{"role":"{{longName}}"}"""), 400, "auth: role name is longer than 1024 bytes");
        Refused(await Put("/v2/auth/users/u", $$"""{"user":"u","password":"p","roles":["{{longName}}"]}"""), 400, "auth: role name is longer than 1024 bytes");
        var password73 = new string('p', 73);
        Refused(await Put("/v2/auth/users/u", $$"""{"user":"u","password":"{{password73}}"}"""), 400, "auth: bcrypt: password length exceeds 72 bytes");
        Refused(await Put("/v2/auth/roles/r", """{"role":"r","permissions":{"kv":{"read":[""]}}}"""), 400, "auth: a permission path must not be empty");
        var big = "{\"user\":\"u\",\"password\":\"p\",\"roles\":[" + string.Join(",", Enumerable.Repeat("\"" + new string('r', 1000) + "\"", 1100)) + "]}";
        Refused(await Put("/v2/auth/users/u", big), 413, "auth: request body is larger than 1048576 bytes");
        Assert.Equal("{\"users\":null}\n", (await _curl.GetAsync(Url + "/v2/auth/users")).Body);
        Assert.Equal("{\"roles\":[{\"role\":\"root\",\"permissions\":{\"kv\":{\"read\":[\"/*\"],\"write\":[\"/*\"]}}}]}\n", (await _curl.GetAsync(Url + "/v2/auth/roles")).Body);

        Assert.Equal(201, (await Put("/v2/auth/roles/r", """{"role":"r"}""")).Status);
        Refused(await Put("/v2/auth/roles/r", """{"role":"r","grant":{"kv":{"write":["/ok",""]}}}"""), 400, "auth: a permission path must not be empty");
        Assert.Equal("{\"role\":\"r\",\"permissions\":{\"kv\":{\"read\":null,\"write\":null}}}\n", (await _curl.GetAsync(Url + "/v2/auth/roles/r")).Body);
    }

    [Fact]
    public async Task A_password_past_72_bytes_never_logs_in_and_users_and_roles_stay_out_of_the_keys()
    {
        var password72 = new string('p', 72);
        Assert.Equal(201, (await Put("/v2/auth/users/root", $$"""{"user":"root","password":"{{password72}}"}""")).Status);
        Assert.Equal(201, (await Put("/v2/auth/roles/r", """{"role":"r","permissions":{"kv":{"read":["/*"]}}}""")).Status);
        Assert.Equal(200, (await _curl.SendAsync("PUT", Url + "/v2/auth/enable")).Status);
        var users = Url + "/v2/auth/users";
        Assert.Equal(200, (await _curl.SendAsync("GET", users, authorization: V2Curl.Basic("root:" + password72))).Status);
        Assert.Equal(401, (await _curl.SendAsync("GET", users, authorization: V2Curl.Basic("root:" + password72 + "x"))).Status);
        Assert.Equal(401, (await _curl.SendAsync("GET", users, authorization: V2Curl.Basic("root:" + password72[..71]))).Status);

        var keys = await _curl.SendAsync("GET", Url + "/v2/keys/?recursive=true", authorization: V2Curl.Basic("root:" + password72));
        Assert.Equal((200, "{\"action\":\"get\",\"node\":{\"dir\":true}}\n"), (keys.Status, keys.Body));
        Assert.Equal(404, (await _curl.SendAsync("GET", Url + "/v2/keys/2/users/root", authorization: V2Curl.Basic("root:" + password72))).Status);
    }
}
