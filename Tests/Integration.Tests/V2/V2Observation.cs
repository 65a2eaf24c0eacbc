using System.Text.Json;
using System.Text.RegularExpressions;

namespace Coordinator.Tests.Integration.V2;

/// <summary>What a differential test compares between etcd and Coordinator: status, the headers that matter
/// (values of Content-Type, Allow, Location, CORS; presence of the X-Etcd/X-Raft ones) and the body with indexes,
/// times, generated key names and ids masked.</summary>
internal static partial class V2Observation
{
    private static readonly string[] ValueHeaders =
        ["content-type", "allow", "location", "x-content-type-options", "access-control-allow-origin", "access-control-allow-methods", "access-control-allow-headers",
         "www-authenticate"];
    private static readonly string[] PresenceHeaders = ["x-etcd-index", "x-raft-index", "x-raft-term", "x-etcd-cluster-id"];

    public static string Of(V2Response r, bool shapeOnly = false)
    {
        var headers = ValueHeaders.Where(r.Headers.ContainsKey).Select(h => $"{h}: {r.Headers[h]}")
            .Concat(PresenceHeaders.Where(r.Headers.ContainsKey).Select(h => h + ": *"));
        return $"{r.Status}\n{string.Join("\n", headers)}\n{(shapeOnly ? Shape(r.Body) : Mask(r.Body))}";
    }

    public static string Mask(string body)
    {
        body = Indexes().Replace(body, "\"$1\":N");
        body = Expiration().Replace(body, "\"expiration\":\"T\"");
        body = Ttl().Replace(body, "\"ttl\":TTL");
        body = InOrderKey().Replace(body, "/IN-ORDER");
        body = CompareCause().Replace(body, "[N != N]");
        body = Cleared().Replace(body, "cleared [N/N]");
        body = MemberId().Replace(body, "\"ID\"");
        body = Url().Replace(body, "http://127.0.0.1:PORT");
        return body;
    }

    /// <summary>The JSON's structure: property names (sorted where Go sorts them) and value kinds, no values.</summary>
    public static string Shape(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return Shape(doc.RootElement);
        }
        catch (JsonException) { return "not json: " + Mask(body); }
    }

    private static string Shape(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "{" + string.Join(",", e.EnumerateObject().Select(p => (MemberId().IsMatch("\"" + p.Name + "\"") ? "ID" : p.Name) + ":" + Shape(p.Value))) + "}",
        JsonValueKind.Array => "[" + string.Join(",", e.EnumerateArray().Select(Shape)) + "]",
        _ => e.ValueKind.ToString(),
    };

    [GeneratedRegex("\"(modifiedIndex|createdIndex|index)\":\\d+")] private static partial Regex Indexes();
    [GeneratedRegex("\"expiration\":\"[^\"]+\"")] private static partial Regex Expiration();
    [GeneratedRegex("\"ttl\":-?\\d+")] private static partial Regex Ttl();
    [GeneratedRegex("/\\d{20}")] private static partial Regex InOrderKey();
    [GeneratedRegex("\\[\\d+ != \\d+\\]")] private static partial Regex CompareCause();
    [GeneratedRegex("cleared \\[\\d+/\\d+\\]")] private static partial Regex Cleared();
    [GeneratedRegex("\"[0-9a-f]{12,16}\"")] private static partial Regex MemberId();
    [GeneratedRegex("http://127\\.0\\.0\\.1:\\d+")] private static partial Regex Url();
}
