using Coordinator.Gateway.Grpc;
using Etcdserverpb;

namespace Coordinator.Gateway.Services;

/// <summary>etcdserverpb.Maintenance: status, hashes and alarms. There is no bbolt file here, so
/// Defragment, Snapshot (etcd's db format) and MoveLeader are not served yet.</summary>
public sealed class MaintenanceService(ICoordinatorNode node, ResponseHeaderFactory headers, GatewayOptions options) : IGrpcService
{
    public void Register(GrpcMethodTable table)
    {
        table.Unary<StatusRequest, StatusResponse>("/etcdserverpb.Maintenance/Status", StatusRequest.Parser, StatusAsync);
        table.Unary<HashRequest, HashResponse>("/etcdserverpb.Maintenance/Hash", HashRequest.Parser, HashAsync);
        table.Unary<HashKVRequest, HashKVResponse>("/etcdserverpb.Maintenance/HashKV", HashKVRequest.Parser, HashKvAsync);
        table.Unary<AlarmRequest, AlarmResponse>("/etcdserverpb.Maintenance/Alarm", AlarmRequest.Parser, AlarmAsync);
        foreach (var method in new[] { "Defragment", "Snapshot", "MoveLeader" })
        {
            table.Unimplemented($"/etcdserverpb.Maintenance/{method}", $"coordinator: {method} is not implemented yet");
        }
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
