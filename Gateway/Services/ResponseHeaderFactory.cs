using Etcdserverpb;

namespace Coordinator.Gateway.Services;

/// <summary>Fills etcd's ResponseHeader: cluster, member and term come from the node; the revision from the
/// store's response when it set one (that is the revision the response reflects), else the current one.</summary>
public sealed class ResponseHeaderFactory(ICoordinatorNode node)
{
    public ResponseHeader Fill(ResponseHeader? header)
    {
        header ??= new ResponseHeader();
        if (header.Revision == 0) header.Revision = node.Store.CurrentRevision;
        header.ClusterId = node.ClusterId;
        header.MemberId = node.MemberId;
        header.RaftTerm = node.RaftTerm;
        return header;
    }

    public ResponseHeader Current() => Fill(null);

    /// <summary>Sets only cluster, member and term: the revision is the producer's (0 can be meaningful, as on
    /// a watch canceled by compaction).</summary>
    public ResponseHeader FillIdentity(ResponseHeader? header)
    {
        header ??= new ResponseHeader();
        header.ClusterId = node.ClusterId;
        header.MemberId = node.MemberId;
        header.RaftTerm = node.RaftTerm;
        return header;
    }
}
