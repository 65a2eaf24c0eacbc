using System.Text;
using System.Text.Json;
using Coordinator.Gateway.Auth;
using Coordinator.Grains.Store.V2;
using Coordinator.Grains.Store.V2Auth;
using Coordinator.Protocol.Internal;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Coordinator.Gateway.Http.V2;

/// <summary>
/// etcd 3.4's <c>/v2/auth</c> (v2http/client_auth.go): <c>/enable</c> (GET, PUT, DELETE), <c>/users</c>,
/// <c>/users/NAME</c>, <c>/roles</c>, <c>/roles/NAME</c> (GET, PUT, DELETE), with etcd's statuses and texts.
/// Once v2 auth is enabled only root may use them (the status stays readable). Changes are replicated; passwords
/// are hashed here, before the proposal, so the log and snapshots hold only bcrypt hashes.
/// </summary>
public sealed class V2AuthEndpoint(IV2Node node, V2Access access, PasswordHasher hasher, ILogger<V2AuthEndpoint> logger)
{
    public const string Prefix = "/v2/auth";

    /// <summary>Bodies of user and role PUTs (etcd reads any size; a role of a thousand long patterns fits).</summary>
    public const int MaxBodyBytes = 1 << 20;

    public async Task EnableAsync(HttpContext context)
    {
        if (EtcdHttp.AnswerPreflight(context) || EtcdHttp.RedirectUncleanPath(context)) return;
        if (!V2Http.AllowMethod(context, "GET", "PUT", "DELETE"))
        {
            await V2Http.MethodNotAllowed(context);
            return;
        }
        if (!await access.HasWriteRootAccessAsync(context))
        {
            await V2Access.WriteNoAuth(context);
            return;
        }
        SetHeaders(context);
        switch (context.Request.Method)
        {
            case "GET":
                await V2Http.Write(context, V2AuthJson.Enabled(node.V2Auth.Enabled));
                break;
            case "PUT":
                await ProposeAsync(context, new V2AuthCommand { Enable = new V2AuthEnable() });
                break;
            case "DELETE":
                await ProposeAsync(context, new V2AuthCommand { Disable = new V2AuthDisable() });
                break;
        }
    }

    public Task UsersAsync(HttpContext context) => DispatchAsync(context, "/users", BaseUsersAsync, ForUserAsync);

    public Task RolesAsync(HttpContext context) => DispatchAsync(context, "/roles", BaseRolesAsync, ForRoleAsync);

    /// <summary>etcd's handleUsers/handleRoles: "/users" and "/users/" list, "/users/NAME" is one, deeper is 400.</summary>
    private static async Task DispatchAsync(HttpContext context, string collection, Func<HttpContext, Task> all, Func<HttpContext, string, Task> one)
    {
        if (EtcdHttp.AnswerPreflight(context) || EtcdHttp.RedirectUncleanPath(context)) return;
        // Go's r.URL.Path is fully unescaped; Kestrel keeps %2F.
        var path = context.Request.Path.Value!.Replace("%2F", "/").Replace("%2f", "/");
        if (path == Prefix + collection)
        {
            await all(context);
            return;
        }
        var pieces = V2Path.Clean(path[Prefix.Length..]).Split('/');
        if (pieces.Length == 2) await all(context);
        else if (pieces.Length != 3) await V2Http.HttpError(context, 400, "Invalid path");
        else await one(context, pieces[2]);
    }

    private async Task<bool> AdmitAsync(HttpContext context, params string[] methods)
    {
        if (!V2Http.AllowMethod(context, methods))
        {
            await V2Http.MethodNotAllowed(context);
            return false;
        }
        if (!await access.HasRootAccessAsync(context))
        {
            await V2Access.WriteNoAuth(context);
            return false;
        }
        SetHeaders(context);
        return true;
    }

    private void SetHeaders(HttpContext context)
    {
        context.Response.Headers[V2Http.ClusterIdHeader] = V2Http.Id(node.ClusterId);
        context.Response.ContentType = "application/json";
    }

    private async Task BaseUsersAsync(HttpContext context)
    {
        if (!await AdmitAsync(context, "GET")) return;
        var auth = node.V2Auth;
        var users = new List<(string, IReadOnlyList<V2AuthRole>)>();
        foreach (var name in auth.UserNames())
        {
            if (auth.GetUser(name) is not { } user) continue;
            // etcd's baseUsers skips roles that do not exist (forUser refuses them).
            users.Add((name, (user.Roles ?? []).Select(auth.GetRole).OfType<V2AuthRole>().ToList()));
        }
        await V2Http.Write(context, V2AuthJson.Users(users));
    }

    private async Task BaseRolesAsync(HttpContext context)
    {
        if (!await AdmitAsync(context, "GET")) return;
        var auth = node.V2Auth;
        await V2Http.Write(context, V2AuthJson.Roles(auth.RoleNames().Select(auth.GetRole).OfType<V2AuthRole>().ToList()));
    }

    private async Task ForUserAsync(HttpContext context, string name)
    {
        if (!await AdmitAsync(context, "GET", "PUT", "DELETE")) return;
        switch (context.Request.Method)
        {
            case "GET":
                await GetUserAsync(context, name);
                break;
            case "PUT":
                await PutUserAsync(context, name);
                break;
            case "DELETE":
                await ProposeAsync(context, new V2AuthCommand { UserDelete = new V2AuthName { Name = name } });
                break;
        }
    }

    private async Task GetUserAsync(HttpContext context, string name)
    {
        var auth = node.V2Auth;
        if (auth.GetUser(name) is not { } user)
        {
            await V2Http.HttpError(context, 404, $"auth: User {name} does not exist.");
            return;
        }
        var roles = new List<V2AuthRole>();
        foreach (var roleName in user.Roles ?? [])
        {
            if (auth.GetRole(roleName) is not { } role)
            {
                await V2Http.HttpError(context, 404, $"auth: Role {roleName} does not exist.");
                return;
            }
            roles.Add(role);
        }
        await V2Http.Write(context, V2AuthJson.UserWithRoles(new StringBuilder(), user.Name, roles).Append('\n').ToString());
    }

    /// <summary>etcd's forUser PUT: no grant and no revoke is a create (with roles) or a create-or-update (without:
    /// an existing user gets the new password); otherwise an update, which may not also carry roles.</summary>
    private async Task PutUserAsync(HttpContext context, string name)
    {
        if (await ReadBodyAsync(context) is not { } body) return;
        V2UserBody u;
        try { u = V2AuthBody.ParseUser(body); }
        catch (JsonException)
        {
            await V2Http.HttpError(context, 400, "Invalid JSON in request body.");
            return;
        }
        if (u.User != name)
        {
            await V2Http.HttpError(context, 400, "User JSON name does not match the name in the URL");
            return;
        }
        if ((NameTooLong(name) ?? RolesTooLong(u)) is { } tooLong)
        {
            await V2Http.HttpError(context, 400, tooLong);
            return;
        }
        if (!AuthInputLimits.PasswordFits(u.Password))
        {
            await V2Http.HttpError(context, 400, "auth: " + AuthInputLimits.PasswordTooLongText);
            return;
        }
        V2AuthCommand command;
        if ((u.Grant?.Length ?? 0) == 0 && (u.Revoke?.Length ?? 0) == 0)
        {
            var create = new V2AuthUserCreate { Name = name, OrUpdate = (u.Roles?.Length ?? 0) == 0, PasswordHash = await HashAsync(u.Password, context) };
            if (u.Roles is not null) create.Roles = Strings(u.Roles);
            command = new V2AuthCommand { UserCreate = create };
        }
        else
        {
            if ((u.Roles?.Length ?? 0) != 0)
            {
                await V2Http.HttpError(context, 400, "User JSON contains both roles and grant/revoke");
                return;
            }
            var update = new V2AuthUserUpdate { Name = name, PasswordHash = await HashAsync(u.Password, context) };
            update.Grant.AddRange(u.Grant ?? []);
            update.Revoke.AddRange(u.Revoke ?? []);
            command = new V2AuthCommand { UserUpdate = update };
        }
        if (await ProposeAsync(context, command, write: false) is not { User: { } user } result) return;
        context.Response.StatusCode = result.Created ? 201 : 200;
        await V2Http.Write(context, V2AuthJson.User(user));
    }

    private async Task<string> HashAsync(string password, HttpContext context) =>
        password.Length == 0 ? "" : Encoding.UTF8.GetString(await hasher.HashAsync(password, context.RequestAborted));

    private async Task ForRoleAsync(HttpContext context, string name)
    {
        if (!await AdmitAsync(context, "GET", "PUT", "DELETE")) return;
        switch (context.Request.Method)
        {
            case "GET":
                if (node.V2Auth.GetRole(name) is { } role) await V2Http.Write(context, V2AuthJson.Role(new StringBuilder(), role).Append('\n').ToString());
                else await V2Http.HttpError(context, 404, $"auth: Role {name} does not exist.");
                break;
            case "PUT":
                await PutRoleAsync(context, name);
                break;
            case "DELETE":
                await ProposeAsync(context, new V2AuthCommand { RoleDelete = new V2AuthName { Name = name } });
                break;
        }
    }

    /// <summary>etcd's forRole PUT: no grant and no revoke is a create (201) with the permissions given; otherwise
    /// an update (200), which may not also carry permissions.</summary>
    private async Task PutRoleAsync(HttpContext context, string name)
    {
        if (await ReadBodyAsync(context) is not { } body) return;
        V2RoleBody r;
        try { r = V2AuthBody.ParseRole(body); }
        catch (JsonException)
        {
            await V2Http.HttpError(context, 400, "Invalid JSON in request body.");
            return;
        }
        if (r.Role != name)
        {
            await V2Http.HttpError(context, 400, "Role JSON name does not match the name in the URL");
            return;
        }
        var patterns = r.Permissions.All.Concat(r.Grant?.All ?? []).Concat(r.Revoke?.All ?? []);
        if ((NameTooLong(name, "role") ?? PatternRefusal(patterns)) is { } refusal)
        {
            await V2Http.HttpError(context, 400, refusal);
            return;
        }
        V2AuthCommand command;
        var creating = V2PermissionsBody.IsEmpty(r.Grant) && V2PermissionsBody.IsEmpty(r.Revoke);
        if (creating)
        {
            var create = new V2AuthRoleCreate { Name = name };
            if (r.Permissions.Read is { } read) create.Read = Strings(read);
            if (r.Permissions.Write is { } write) create.Write = Strings(write);
            command = new V2AuthCommand { RoleCreate = create };
        }
        else
        {
            if (!V2PermissionsBody.IsEmpty(r.Permissions))
            {
                await V2Http.HttpError(context, 400, "Role JSON contains both permissions and grant/revoke");
                return;
            }
            var update = new V2AuthRoleUpdate { Name = name };
            update.GrantRead.AddRange(r.Grant?.Read ?? []);
            update.GrantWrite.AddRange(r.Grant?.Write ?? []);
            update.RevokeRead.AddRange(r.Revoke?.Read ?? []);
            update.RevokeWrite.AddRange(r.Revoke?.Write ?? []);
            command = new V2AuthCommand { RoleUpdate = update };
        }
        if (await ProposeAsync(context, command, write: false) is not { Role: { } role }) return;
        context.Response.StatusCode = creating ? 201 : 200;
        await V2Http.Write(context, V2AuthJson.Role(new StringBuilder(), role).Append('\n').ToString());
    }

    private static V2AuthStrings Strings(IEnumerable<string> values)
    {
        var s = new V2AuthStrings();
        s.Values.AddRange(values);
        return s;
    }

    /// <summary>Names are bounded as v3 auth bounds them (<see cref="AuthInputLimits"/>); etcd bounds them only by
    /// the request size.</summary>
    private static string? NameTooLong(string name, string what = "user") =>
        Encoding.UTF8.GetByteCount(name) > AuthInputLimits.MaxNameBytes ? $"auth: {what} name is longer than {AuthInputLimits.MaxNameBytes} bytes" : null;

    private static string? RolesTooLong(V2UserBody u) =>
        (u.Roles ?? []).Concat(u.Grant ?? []).Concat(u.Revoke ?? []).Select(r => NameTooLong(r, "role")).FirstOrDefault(t => t is not null);

    /// <summary>An empty key pattern is refused: etcd stores it and then fails every access check that reaches it.</summary>
    private static string? PatternRefusal(IEnumerable<string> patterns) =>
        patterns.Any(p => p.Length == 0) ? "auth: a permission path must not be empty" : null;

    /// <summary>The whole body, at most <see cref="MaxBodyBytes"/>; null (and the 413 written) beyond.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        try
        {
            int n;
            while ((n = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
            {
                if (buffer.Length + n > MaxBodyBytes)
                {
                    await V2Http.HttpError(context, 413, $"auth: request body is larger than {MaxBodyBytes} bytes");
                    return null;
                }
                buffer.Write(chunk, 0, n);
            }
        }
        catch (Exception e) when (e is IOException or BadHttpRequestException)
        {
            await V2Http.HttpError(context, 400, "Invalid JSON in request body.");
            return null;
        }
        return buffer.ToArray();
    }

    /// <summary>Replicates a change; refusals and member failures are answered here (null then). With
    /// <paramref name="write"/> false the caller writes the success answer; else it is 200 with no body.</summary>
    private async Task<V2AuthResult?> ProposeAsync(HttpContext context, V2AuthCommand command, bool write = true)
    {
        try
        {
            var result = await node.ProposeV2AuthAsync(command, context.RequestAborted);
            if (write) context.Response.ContentLength = 0;
            return result;
        }
        catch (V2AuthError e)
        {
            await V2Http.HttpError(context, e.Status, e.Message);
        }
        catch (NodeException e)
        {
            // etcd answers a failed v2 store request of its auth handlers as an unexpected error, and logs it.
            logger.LogWarning("v2 auth {Method} {Path} failed: {Error}", context.Request.Method, context.Request.Path, e.Message);
            await V2Http.HttpError(context, 500, "Internal Server Error");
        }
        return null;
    }
}
