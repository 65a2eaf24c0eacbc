using System.Text;
using Coordinator.Grains.Store.V2;

namespace Coordinator.Gateway.Http.V2;

/// <summary>etcd's v2 response bodies (field order, omitted empty fields and number formats as etcd writes them).</summary>
public static class V2Json
{
    /// <summary>An event, as <c>json.NewEncoder(w).Encode(ev)</c> writes it (with the trailing newline).
    /// The "ttl" of nodes is computed at <paramref name="nowUnixNs"/>.</summary>
    public static string Event(V2Event e, long nowUnixNs, bool withoutNodes = false)
    {
        var b = new StringBuilder(128);
        b.Append("{\"action\":");
        GoJson.String(b, e.Action);
        if (!withoutNodes)
        {
            b.Append(",\"node\":");
            Node(b, e.Node, nowUnixNs);
            if (e.PrevNode is { } prev)
            {
                b.Append(",\"prevNode\":");
                Node(b, prev, nowUnixNs);
            }
        }
        return b.Append("}\n").ToString();
    }

    public static void Node(StringBuilder b, V2NodeView n, long nowUnixNs)
    {
        b.Append('{');
        var first = true;
        void Field(string name)
        {
            if (!first) b.Append(',');
            first = false;
            b.Append('"').Append(name).Append("\":");
        }
        if (n.Key.Length > 0) { Field("key"); GoJson.String(b, n.Key); }
        if (n.Value is { } value) { Field("value"); GoJson.String(b, value); }
        if (n.Dir) { Field("dir"); b.Append("true"); }
        if (n.Expiration is { } expiration)
        {
            Field("expiration");
            b.Append('"').Append(GoJson.Time(expiration)).Append('"');
            var ttl = Ttl(expiration, nowUnixNs);
            if (ttl != 0) { Field("ttl"); b.Append(ttl); }
        }
        if (n.Nodes is { Count: > 0 } nodes)
        {
            Field("nodes");
            b.Append('[');
            for (var i = 0; i < nodes.Count; i++)
            {
                if (i > 0) b.Append(',');
                Node(b, nodes[i], nowUnixNs);
            }
            b.Append(']');
        }
        if (n.ModifiedIndex != 0) { Field("modifiedIndex"); b.Append(n.ModifiedIndex); }
        if (n.CreatedIndex != 0) { Field("createdIndex"); b.Append(n.CreatedIndex); }
        b.Append('}');
    }

    /// <summary>Seconds left, rounded up (etcd: ceiling((expiration - now) / 1 s), which is ≤ 0 once due).</summary>
    public static long Ttl(long expirationUnixNs, long nowUnixNs)
    {
        var left = unchecked(expirationUnixNs - nowUnixNs);
        var ttl = left / 1_000_000_000L;
        if (left % 1_000_000_000L > 0) ttl++;
        return ttl;
    }

    /// <summary>etcd's v2 error body: {"errorCode":..,"message":..,"cause":..,"index":..} and a newline.</summary>
    public static string Error(int code, string cause, ulong index)
    {
        var b = new StringBuilder(96);
        b.Append("{\"errorCode\":").Append(code).Append(",\"message\":");
        GoJson.String(b, V2ErrorCode.Message(code));
        if (cause.Length > 0)
        {
            b.Append(",\"cause\":");
            GoJson.String(b, cause);
        }
        return b.Append(",\"index\":").Append(index).Append("}\n").ToString();
    }

    /// <summary>etcd's httptypes.HTTPError body: {"message":...} (no newline).</summary>
    public static string Message(string message) => GoJson.String(new StringBuilder("{\"message\":"), message).Append('}').ToString();
}
