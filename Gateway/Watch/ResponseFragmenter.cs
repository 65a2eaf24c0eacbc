using Etcdserverpb;
using Google.Protobuf;

namespace Coordinator.Gateway.Watch;

/// <summary>
/// etcd's fragmentation for watches created with fragment=true: a response of at least the limit with two
/// or more events is cut into responses under the limit (a single event may exceed it); all but the last
/// carry fragment=true and the client joins them. The size is measured without the cluster/member/term
/// header fields the gRPC layer adds later (a few dozen bytes).
/// </summary>
internal static class ResponseFragmenter
{
    public static IReadOnlyList<WatchResponse> Split(WatchResponse response, int maxBytes)
    {
        if (response.Events.Count < 2 || response.CalculateSize() < maxBytes) return [response];

        var envelope = new WatchResponse { WatchId = response.WatchId, Header = response.Header, Fragment = true };
        var envelopeSize = envelope.CalculateSize();
        var parts = new List<WatchResponse>();
        var current = envelope.Clone();
        var size = envelopeSize;
        foreach (var change in response.Events)
        {
            var eventSize = 1 + CodedOutputStream.ComputeMessageSize(change);
            if (current.Events.Count > 0 && size + eventSize >= maxBytes)
            {
                parts.Add(current);
                current = envelope.Clone();
                size = envelopeSize;
            }
            current.Events.Add(change);
            size += eventSize;
        }
        current.Fragment = false;
        parts.Add(current);
        return parts;
    }
}
