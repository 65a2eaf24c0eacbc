using System.Text;
using System.Text.Json;
using Etcdserverpb;
using Microsoft.AspNetCore.Http;

namespace Coordinator.Gateway.Http.V2;

/// <summary>
/// etcd's <c>/v2/members</c>: GET (all, or <c>/leader</c>), POST (add), DELETE and PUT <c>/v2/members/ID</c>.
/// Membership changes run through <see cref="IClusterAdmin"/>, the same rules as the v3 Cluster service;
/// failures map to etcd's v2 statuses and texts.
/// </summary>
public sealed class V2MembersEndpoint(IV2Node node, IClusterAdmin admin, V2Access access)
{
    public const string Prefix = "/v2/members";

    public async Task HandleAsync(HttpContext context)
    {
        if (EtcdHttp.AnswerPreflight(context) || EtcdHttp.RedirectUncleanPath(context)) return;
        if (!V2Http.AllowMethod(context, "GET", "POST", "DELETE", "PUT"))
        {
            await V2Http.MethodNotAllowed(context);
            return;
        }
        // With v2 auth enabled, changes need root; the listing stays open (etcd's hasWriteRootAccess).
        if (!await access.HasWriteRootAccessAsync(context))
        {
            await V2Access.WriteNoAuth(context);
            return;
        }
        context.Response.Headers[V2Http.ClusterIdHeader] = V2Http.Id(node.ClusterId);
        var rest = context.Request.Path.Value![Prefix.Length..].TrimStart('/');
        try
        {
            switch (context.Request.Method)
            {
                case "GET": await GetAsync(context, rest); break;
                case "POST": await AddAsync(context); break;
                case "DELETE": await RemoveAsync(context, rest); break;
                case "PUT": await UpdateAsync(context, rest); break;
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested) { }
    }

    private async Task GetAsync(HttpContext context, string rest)
    {
        if (rest == "")
        {
            var b = new StringBuilder("{\"members\":[");
            var first = true;
            foreach (var m in node.V2Members())
            {
                if (!first) b.Append(',');
                first = false;
                V2MemberJson.Member(b, m);
            }
            await WriteJson(context, 200, b.Append("]}\n").ToString());
        }
        else if (rest == "leader")
        {
            var leader = node.LeaderId;
            var member = leader == 0 ? null : node.V2Members().FirstOrDefault(m => m.Id == leader);
            if (member is null) await V2Http.HttpError(context, 503, "During election");
            else await WriteJson(context, 200, V2MemberJson.Member(new StringBuilder(), member).Append('\n').ToString());
        }
        else await V2Http.HttpError(context, 404, "Not found");
    }

    private async Task AddAsync(HttpContext context)
    {
        if (await ReadPeerUrlsAsync(context) is not { } urls) return;
        var request = new MemberAddRequest();
        request.PeerURLs.AddRange(urls);
        MemberAddResponse added;
        try { added = await admin.MemberAddAsync(request, context.RequestAborted); }
        catch (NodeException e)
        {
            await WriteFailure(context, e, "");
            return;
        }
        var body = V2MemberJson.Member(new StringBuilder(), added.Member.ID, "", added.Member.PeerURLs, []).Append('\n').ToString();
        await WriteJson(context, 201, body);
    }

    private async Task RemoveAsync(HttpContext context, string rest)
    {
        if (await ParseIdAsync(context, rest) is not { } id) return;
        try { await admin.MemberRemoveAsync(new MemberRemoveRequest { ID = id }, context.RequestAborted); }
        catch (NodeException e)
        {
            await WriteFailure(context, e, V2Http.Id(id));
            return;
        }
        context.Response.StatusCode = 204;
    }

    private async Task UpdateAsync(HttpContext context, string rest)
    {
        if (await ParseIdAsync(context, rest) is not { } id) return;
        if (await ReadPeerUrlsAsync(context) is not { } urls) return;
        var request = new MemberUpdateRequest { ID = id };
        request.PeerURLs.AddRange(urls);
        try { await admin.MemberUpdateAsync(request, context.RequestAborted); }
        catch (NodeException e)
        {
            await WriteFailure(context, e, V2Http.Id(id));
            return;
        }
        context.Response.StatusCode = 204;
    }

    /// <summary>etcd's getID: no id is 405, an id that is not hex is "No such member".</summary>
    private static async Task<ulong?> ParseIdAsync(HttpContext context, string rest)
    {
        if (rest == "")
        {
            await V2Http.PlainError(context, 405, "Method Not Allowed");
            return null;
        }
        if (ulong.TryParse(rest, System.Globalization.NumberStyles.AllowHexSpecifier, null, out var id)) return id;
        await V2Http.HttpError(context, 404, "No such member: " + rest);
        return null;
    }

    /// <summary>etcd's unmarshalRequest for {"peerURLs":[...]}: 415 for another content type, 400 for bad JSON or URLs.</summary>
    private static async Task<List<string>?> ReadPeerUrlsAsync(HttpContext context)
    {
        var contentType = context.Request.ContentType ?? "";
        var semicolon = contentType.IndexOf(';');
        if (semicolon >= 0) contentType = contentType[..semicolon].Trim().ToLowerInvariant();
        if (contentType != "application/json")
        {
            await V2Http.HttpError(context, 415, $"Bad Content-Type {contentType}, accept application/json");
            return null;
        }
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(context.RequestAborted);
        List<string>? texts;
        try
        {
            using var document = JsonDocument.Parse(text);
            texts = document.RootElement.ValueKind == JsonValueKind.Object &&
                    document.RootElement.TryGetProperty("peerURLs", out var list) && list.ValueKind == JsonValueKind.Array
                ? list.EnumerateArray().Select(u => u.ValueKind == JsonValueKind.String ? u.GetString()! : throw new JsonException("peerURLs must be strings")).ToList()
                : null;
        }
        catch (JsonException e)
        {
            await V2Http.HttpError(context, 400, GoJsonError(text, e));
            return null;
        }
        var (urls, error) = V2PeerUrls.Parse(texts);
        if (error is not null)
        {
            await V2Http.HttpError(context, 400, error);
            return null;
        }
        return urls;
    }

    /// <summary>encoding/json's text for the common syntax errors (an empty body, a bad first character).</summary>
    private static string GoJsonError(string text, JsonException e)
    {
        var trimmed = text.TrimStart(' ', '\t', '\r', '\n');
        if (trimmed.Length == 0) return "unexpected end of JSON input";
        var c = trimmed[0];
        if (c is not ('{' or '[' or '"' or '-' or 't' or 'f' or 'n') && !char.IsAsciiDigit(c))
            return $"invalid character '{c}' looking for beginning of value";
        return e.Message.StartsWith("peerURLs", StringComparison.Ordinal)
            ? "json: cannot unmarshal number into Go struct field .peerURLs of type string"
            : "unexpected end of JSON input";
    }

    /// <summary>etcd's statuses for membership errors: 404 unknown member, 409 peer URL in use, 500 anything else.</summary>
    private static Task WriteFailure(HttpContext context, NodeException e, string id)
    {
        if (e.Message.Contains("Peer URLs already exists", StringComparison.Ordinal))
            return V2Http.HttpError(context, 409, "membership: peerURL exists");
        if (e.Message.Contains("member not found", StringComparison.Ordinal))
            return V2Http.HttpError(context, 404, "No such member: " + id);
        return V2Http.HttpError(context, 500, "Internal Server Error");
    }

    private static Task WriteJson(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return V2Http.Write(context, body);
    }
}
