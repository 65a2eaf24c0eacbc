using Coordinator.Client.Transport;
using Etcdserverpb;

namespace Coordinator.Client;

public sealed partial class CoordinatorClient
{
    public Task<MemberListResponse> MemberListAsync(CancellationToken ct = default) =>
        Invoker.UnaryAsync(EtcdMethods.MemberList, new MemberListRequest(), ct);

    public Task<MemberAddResponse> MemberAddAsync(IEnumerable<string> peerUrls, bool isLearner = false, CancellationToken ct = default) =>
        Invoker.UnaryAsync(EtcdMethods.MemberAdd, new MemberAddRequest { PeerURLs = { peerUrls }, IsLearner = isLearner }, ct);

    public Task<MemberRemoveResponse> MemberRemoveAsync(ulong memberId, CancellationToken ct = default) =>
        Invoker.UnaryAsync(EtcdMethods.MemberRemove, new MemberRemoveRequest { ID = memberId }, ct);

    public Task<MemberUpdateResponse> MemberUpdateAsync(ulong memberId, IEnumerable<string> peerUrls, CancellationToken ct = default) =>
        Invoker.UnaryAsync(EtcdMethods.MemberUpdate, new MemberUpdateRequest { ID = memberId, PeerURLs = { peerUrls } }, ct);

    public Task<MemberPromoteResponse> MemberPromoteAsync(ulong memberId, CancellationToken ct = default) =>
        Invoker.UnaryAsync(EtcdMethods.MemberPromote, new MemberPromoteRequest { ID = memberId }, ct);
}
