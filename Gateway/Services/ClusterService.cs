using Coordinator.Gateway.Grpc;
using Etcdserverpb;

namespace Coordinator.Gateway.Services;

/// <summary>etcdserverpb.Cluster: the member list, and membership changes when the host provides
/// <see cref="IClusterAdmin"/> (otherwise they answer UNIMPLEMENTED).</summary>
public sealed class ClusterService(ICoordinatorNode node, ResponseHeaderFactory headers, IServiceProvider services) : IGrpcService
{
    public void Register(GrpcMethodTable table)
    {
        table.Unary<MemberListRequest, MemberListResponse>("/etcdserverpb.Cluster/MemberList", MemberListRequest.Parser, MemberListAsync);
        if (services.GetService(typeof(IClusterAdmin)) is not IClusterAdmin admin)
        {
            foreach (var change in new[] { "MemberAdd", "MemberRemove", "MemberUpdate", "MemberPromote" })
                table.Unimplemented($"/etcdserverpb.Cluster/{change}", $"coordinator: {change} is not available on this host");
            return;
        }
        table.Unary<MemberAddRequest, MemberAddResponse>("/etcdserverpb.Cluster/MemberAdd", MemberAddRequest.Parser,
            async (r, call) => WithHeader(await admin.MemberAddAsync(r, call.CancellationToken), x => x.Header = headers.Current()));
        table.Unary<MemberRemoveRequest, MemberRemoveResponse>("/etcdserverpb.Cluster/MemberRemove", MemberRemoveRequest.Parser,
            async (r, call) => WithHeader(await admin.MemberRemoveAsync(r, call.CancellationToken), x => x.Header = headers.Current()));
        table.Unary<MemberUpdateRequest, MemberUpdateResponse>("/etcdserverpb.Cluster/MemberUpdate", MemberUpdateRequest.Parser,
            async (r, call) => WithHeader(await admin.MemberUpdateAsync(r, call.CancellationToken), x => x.Header = headers.Current()));
        table.Unary<MemberPromoteRequest, MemberPromoteResponse>("/etcdserverpb.Cluster/MemberPromote", MemberPromoteRequest.Parser,
            async (r, call) => WithHeader(await admin.MemberPromoteAsync(r, call.CancellationToken), x => x.Header = headers.Current()));
    }

    private static T WithHeader<T>(T response, Action<T> setHeader)
    {
        setHeader(response);
        return response;
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
