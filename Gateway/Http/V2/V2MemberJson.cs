using System.Text;

namespace Coordinator.Gateway.Http.V2;

/// <summary>etcd's httptypes.Member: {"id","name","peerURLs","clientURLs"} (lists never null).</summary>
internal static class V2MemberJson
{
    public static StringBuilder Member(StringBuilder b, ulong id, string name, IEnumerable<string> peerUrls, IEnumerable<string> clientUrls)
    {
        b.Append("{\"id\":\"").Append(V2Http.Id(id)).Append("\",\"name\":");
        GoJson.String(b, name);
        b.Append(",\"peerURLs\":");
        List(b, peerUrls);
        b.Append(",\"clientURLs\":");
        List(b, clientUrls);
        return b.Append('}');
    }

    public static StringBuilder Member(StringBuilder b, MemberInfo m) => Member(b, m.Id, m.Name, m.PeerUrls, m.ClientUrls);

    private static void List(StringBuilder b, IEnumerable<string> items)
    {
        b.Append('[');
        var first = true;
        foreach (var item in items)
        {
            if (!first) b.Append(',');
            first = false;
            GoJson.String(b, item);
        }
        b.Append(']');
    }
}
