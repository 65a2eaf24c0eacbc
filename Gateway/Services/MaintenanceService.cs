using Coordinator.Gateway.Grpc;
using Etcdserverpb;
using Grpc.Core;

namespace Coordinator.Gateway.Services;

/// <summary>etcdserverpb.Maintenance: status and hashes; alarms, defragment, snapshot (our own format,
/// restored by `coordinator snapshot restore`) and move-leader when the host provides <see cref="IClusterAdmin"/>
/// (otherwise those answer UNIMPLEMENTED, and Alarm sees no alarms).</summary>
[BindServiceMethod(typeof(MaintenanceService), nameof(BindService))]
public sealed class MaintenanceService(ICoordinatorNode node, ResponseHeaderFactory headers, GatewayOptions options,
    IServiceProvider services) : Maintenance.MaintenanceBase
{
    private const int SnapshotChunkBytes = 64 * 1024;

    private readonly IClusterAdmin? _admin = (IClusterAdmin?)services.GetService(typeof(IClusterAdmin));

    public static void BindService(ServiceBinderBase binder, Maintenance.MaintenanceBase service) =>
        Maintenance.BindService(new ParsingServiceBinder(binder), service);

    public override Task<StatusResponse> Status(StatusRequest request, ServerCallContext context)
    {
        var status = node.Status();
        var response = new StatusResponse
        {
            Header = headers.Current(),
            Version = string.IsNullOrEmpty(status.Version) ? options.StatusVersion : status.Version,
            DbSize = status.DbSize,
            DbSizeInUse = status.DbSizeInUse,
            Leader = status.Leader,
            RaftIndex = status.RaftIndex,
            RaftTerm = status.RaftTerm,
            RaftAppliedIndex = status.RaftAppliedIndex,
            IsLearner = status.IsLearner,
        };
        response.Errors.AddRange(status.Errors);
        return Task.FromResult(response);
    }

    public override Task<HashResponse> Hash(HashRequest request, ServerCallContext context) =>
        Task.FromResult(new HashResponse { Header = headers.Current(), Hash = node.Store.Hash() });

    public override Task<HashKVResponse> HashKV(HashKVRequest request, ServerCallContext context)
    {
        var result = node.Store.HashKv(request.Revision);
        var header = headers.Fill(new ResponseHeader { Revision = result.CurrentRevision });
        return Task.FromResult(new HashKVResponse { Header = header, Hash = result.Hash, CompactRevision = result.CompactRevision });
    }

    public override async Task<AlarmResponse> Alarm(AlarmRequest request, ServerCallContext context)
    {
        if (_admin is null) return new AlarmResponse { Header = headers.Current() };
        var response = await _admin.AlarmAsync(request, context.CancellationToken);
        response.Header = headers.Current();
        return response;
    }

    public override async Task<DefragmentResponse> Defragment(DefragmentRequest request, ServerCallContext context)
    {
        await Admin("Defragment").DefragmentAsync(context.CancellationToken);
        return new DefragmentResponse { Header = headers.Current() };
    }

    public override async Task<MoveLeaderResponse> MoveLeader(MoveLeaderRequest request, ServerCallContext context)
    {
        await Admin("MoveLeader").MoveLeaderAsync(request.TargetID, context.CancellationToken);
        return new MoveLeaderResponse { Header = headers.Current() };
    }

    public override async Task Snapshot(SnapshotRequest request, IServerStreamWriter<SnapshotResponse> responseStream, ServerCallContext context)
    {
        var data = await Admin("Snapshot").SnapshotAsync(context.CancellationToken);
        for (var offset = 0; offset < data.Length || offset == 0; offset += SnapshotChunkBytes)
        {
            var length = Math.Min(SnapshotChunkBytes, data.Length - offset);
            await responseStream.WriteAsync(new SnapshotResponse
            {
                Header = headers.Current(),
                RemainingBytes = (ulong)(data.Length - offset - length),
                Blob = Google.Protobuf.ByteString.CopyFrom(data, offset, length),
            }, context.CancellationToken);
            if (data.Length == 0) break;
        }
    }

    private IClusterAdmin Admin(string method) =>
        _admin ?? throw EtcdStatus.Unimplemented($"coordinator: {method} is not available on this host");
}
