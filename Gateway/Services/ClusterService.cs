using Coordinator.Gateway.Grpc;
using Etcdserverpb;
using Grpc.Core;

namespace Coordinator.Gateway.Services;

/// <summary>etcdserverpb.Cluster: the member list, and membership changes when the host provides
/// <see cref="IClusterAdmin"/> (otherwise they answer UNIMPLEMENTED).</summary>
[BindServiceMethod(typeof(ClusterService), nameof(BindService))]
public sealed class ClusterService(ICoordinatorNode node, ResponseHeaderFactory headers, IServiceProvider services) : Cluster.ClusterBase
{
    private readonly IClusterAdmin? _admin = (IClusterAdmin?)services.GetService(typeof(IClusterAdmin));

    public static void BindService(ServiceBinderBase binder, Cluster.ClusterBase service) =>
        Cluster.BindService(new ParsingServiceBinder(binder), service);

    public override Task<MemberListResponse> MemberList(MemberListRequest request, ServerCallContext context)
    {
        var response = new MemberListResponse { Header = headers.Current() };
        foreach (var member in node.Members())
        {
            var message = new Member { ID = member.Id, Name = member.Name, IsLearner = member.IsLearner };
            message.PeerURLs.AddRange(member.PeerUrls);
            message.ClientURLs.AddRange(member.ClientUrls.Select(AsConfigured));
            response.Members.Add(message);
        }
        return Task.FromResult(response);
    }

    public override async Task<MemberAddResponse> MemberAdd(MemberAddRequest request, ServerCallContext context)
    {
        var response = await Admin("MemberAdd").MemberAddAsync(request, context.CancellationToken);
        response.Header = headers.Current();
        WithSchemes(response.Members);
        return response;
    }

    public override async Task<MemberRemoveResponse> MemberRemove(MemberRemoveRequest request, ServerCallContext context)
    {
        var response = await Admin("MemberRemove").MemberRemoveAsync(request, context.CancellationToken);
        response.Header = headers.Current();
        WithSchemes(response.Members);
        return response;
    }

    public override async Task<MemberUpdateResponse> MemberUpdate(MemberUpdateRequest request, ServerCallContext context)
    {
        var response = await Admin("MemberUpdate").MemberUpdateAsync(request, context.CancellationToken);
        response.Header = headers.Current();
        WithSchemes(response.Members);
        return response;
    }

    public override async Task<MemberPromoteResponse> MemberPromote(MemberPromoteRequest request, ServerCallContext context)
    {
        var response = await Admin("MemberPromote").MemberPromoteAsync(request, context.CancellationToken);
        response.Header = headers.Current();
        WithSchemes(response.Members);
        return response;
    }

    /// <summary>
    /// Client URLs as configured (<c>http://host:port</c>), as etcd reports them. The node hands them over without
    /// their scheme (a workaround from before the client port accepted URL authorities, kept in the replica host,
    /// which this gateway does not own); client ports are cleartext only, so the scheme is http.
    /// </summary>
    internal static string AsConfigured(string url) => url.Contains("://", StringComparison.Ordinal) ? url : "http://" + url;

    private static void WithSchemes(Google.Protobuf.Collections.RepeatedField<Member> members)
    {
        foreach (var member in members)
        {
            var urls = member.ClientURLs.Select(AsConfigured).ToList();
            member.ClientURLs.Clear();
            member.ClientURLs.AddRange(urls);
        }
    }

    private IClusterAdmin Admin(string method) =>
        _admin ?? throw EtcdStatus.Unimplemented($"coordinator: {method} is not available on this host");
}
