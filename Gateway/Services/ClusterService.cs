using Coordinator.Gateway.Grpc;
using Etcdserverpb;

namespace Coordinator.Gateway.Services;

/// <summary>etcdserverpb.Cluster: the member list. Membership changes are not served yet.</summary>
public sealed class ClusterService(ICoordinatorNode node, ResponseHeaderFactory headers) : IGrpcService
{
    public void Register(GrpcMethodTable table)
    {
        table.Unary<MemberListRequest, MemberListResponse>("/etcdserverpb.Cluster/MemberList", MemberListRequest.Parser, MemberListAsync);
        foreach (var change in new[] { "MemberAdd", "MemberRemove", "MemberUpdate", "MemberPromote" })
        {
            table.Unimplemented($"/etcdserverpb.Cluster/{change}",
                $"coordinator: {change} is not implemented yet (membership changes are planned)");
        }
    }

    private ValueTask<MemberListResponse> MemberListAsync(MemberListRequest request, GrpcCall call)
    {
        var response = new MemberListResponse { Header = headers.Current() };
        foreach (var member in node.Members())
        {
            var message = new Member { ID = member.Id, Name = member.Name, IsLearner = member.IsLearner };
            message.PeerURLs.AddRange(member.PeerUrls);
            message.ClientURLs.AddRange(member.ClientUrls);
            response.Members.Add(message);
        }
        return ValueTask.FromResult(response);
    }
}
