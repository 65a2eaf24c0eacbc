using Coordinator.Gateway.Grpc;
using Etcdserverpb;

namespace Coordinator.Gateway.Services;

/// <summary>etcdserverpb.Maintenance: status and hashes; alarms, defragment, snapshot (our own format,
/// restored by `coordinator snapshot restore`) and move-leader when the host provides <see cref="IClusterAdmin"/>.</summary>
public sealed class MaintenanceService(ICoordinatorNode node, ResponseHeaderFactory headers, GatewayOptions options,
    IServiceProvider services) : IGrpcService
{
    private const int SnapshotChunkBytes = 64 * 1024;

    public void Register(GrpcMethodTable table)
    {
        table.Unary<StatusRequest, StatusResponse>("/etcdserverpb.Maintenance/Status", StatusRequest.Parser, StatusAsync);
        table.Unary<HashRequest, HashResponse>("/etcdserverpb.Maintenance/Hash", HashRequest.Parser, HashAsync);
        table.Unary<HashKVRequest, HashKVResponse>("/etcdserverpb.Maintenance/HashKV", HashKVRequest.Parser, HashKvAsync);
        table.Unary<AlarmRequest, AlarmResponse>("/etcdserverpb.Maintenance/Alarm", AlarmRequest.Parser, AlarmAsync);
        if (services.GetService(typeof(IClusterAdmin)) is not IClusterAdmin admin)
        {
            foreach (var method in new[] { "Defragment", "Snapshot", "MoveLeader" })
                table.Unimplemented($"/etcdserverpb.Maintenance/{method}", $"coordinator: {method} is not available on this host");
            return;
        }
        table.Unary<AlarmRequest, AlarmResponse>("/etcdserverpb.Maintenance/Alarm", AlarmRequest.Parser, async (r, call) =>
        {
            var response = await admin.AlarmAsync(r, call.CancellationToken);
            response.Header = headers.Current();
            return response;
        });
        table.Unary<DefragmentRequest, DefragmentResponse>("/etcdserverpb.Maintenance/Defragment", DefragmentRequest.Parser, async (r, call) =>
        {
            await admin.DefragmentAsync(call.CancellationToken);
            return new DefragmentResponse { Header = headers.Current() };
        });
        table.Unary<MoveLeaderRequest, MoveLeaderResponse>("/etcdserverpb.Maintenance/MoveLeader", MoveLeaderRequest.Parser, async (r, call) =>
        {
            await admin.MoveLeaderAsync(r.TargetID, call.CancellationToken);
            return new MoveLeaderResponse { Header = headers.Current() };
        });
        table.ServerStreaming<SnapshotRequest, SnapshotResponse>("/etcdserverpb.Maintenance/Snapshot", SnapshotRequest.Parser, async (r, stream, call) =>
        {
            var data = await admin.SnapshotAsync(call.CancellationToken);
            for (var offset = 0; offset < data.Length || offset == 0; offset += SnapshotChunkBytes)
            {
                var length = Math.Min(SnapshotChunkBytes, data.Length - offset);
                await stream.WriteAsync(new SnapshotResponse
                {
                    Header = headers.Current(),
                    RemainingBytes = (ulong)(data.Length - offset - length),
                    Blob = Google.Protobuf.ByteString.CopyFrom(data, offset, length),
                }, call.CancellationToken);
                if (data.Length == 0) break;
            }
        });
    }

    private ValueTask<StatusResponse> StatusAsync(StatusRequest request, GrpcCall call)
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
        return ValueTask.FromResult(response);
    }

    private ValueTask<HashResponse> HashAsync(HashRequest request, GrpcCall call) =>
        ValueTask.FromResult(new HashResponse { Header = headers.Current(), Hash = node.Store.Hash() });

    private ValueTask<HashKVResponse> HashKvAsync(HashKVRequest request, GrpcCall call)
    {
        var result = node.Store.HashKv(request.Revision);
        var header = headers.Fill(new ResponseHeader { Revision = result.CurrentRevision });
        return ValueTask.FromResult(new HashKVResponse
        {
            Header = header, Hash = result.Hash, CompactRevision = result.CompactRevision,
        });
    }

    /// <summary>No alarms are raised yet (no space quota, no corruption check): every action sees none.</summary>
    private ValueTask<AlarmResponse> AlarmAsync(AlarmRequest request, GrpcCall call) =>
        ValueTask.FromResult(new AlarmResponse { Header = headers.Current() });
}
