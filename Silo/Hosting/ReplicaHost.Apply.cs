using System.Buffers.Binary;
using Coordinator.Gateway;
using Coordinator.Grains.Raft;
using Coordinator.Grains.Store;
using Coordinator.Protocol.Internal;
using Etcdserverpb;
using Mvccpb;

namespace Coordinator.Silo.Hosting;

public sealed partial class ReplicaHost
{
    private volatile Action<IReadOnlyList<Event>, long>[] _subscribers = [];
    private readonly object _subscribersLock = new();

    public IDisposable Subscribe(Action<IReadOnlyList<Event>, long> onApplied)
    {
        lock (_subscribersLock) _subscribers = [.. _subscribers, onApplied];
        return new Subscription(this, onApplied);
    }

    private sealed class Subscription(ReplicaHost host, Action<IReadOnlyList<Event>, long> handler) : IDisposable
    {
        public void Dispose()
        {
            lock (host._subscribersLock) host._subscribers = host._subscribers.Where(h => h != handler).ToArray();
        }
    }

    /// <summary>Loop: applies one committed entry to the state machine and completes its waiter.</summary>
    private void ApplyEntry(Entry entry)
    {
        if (entry.Type == EntryType.ConfigChange) ApplyConfigChange(ConfigChange.Decode(entry.Data.Span));
        else if (!entry.Data.IsEmpty) ApplyRequest(RaftRequest.Parser.ParseFrom(entry.Data.Span), entry.Index);
        Interlocked.Exchange(ref _appliedIndex, entry.Index);
        if (_configWaiters.Count > 0) CompleteConfigWaiter(entry);
    }

    /// <summary>Loop: the store decides whether the entry takes effect (at most once per request); only then do
    /// the host's own parts (member table, alarms), events and lease timers follow. Every outcome answers
    /// its waiter: a repeat with the first result.</summary>
    private void ApplyRequest(RaftRequest request, ulong index)
    {
        var result = Store.Apply(request, index);
        if (result.Skipped) return;
        if (result.Verdict == SessionVerdict.New) ApplyHostParts(request, result);
        Complete(request, result);
    }

    private void ApplyHostParts(RaftRequest request, ApplyResult result)
    {
        if (request.CommandCase == RaftRequest.CommandOneofCase.Publish)
        {
            MemberTable.Publish(request.Publish.MemberId, request.Publish.Name, request.Publish.ClientUrls.ToList());
            if (request.Publish.MemberId == MemberId) _published = true;
        }
        else if (request.CommandCase == RaftRequest.CommandOneofCase.MemberPeerUrls)
        {
            MemberTable.UpdatePeerUrls(request.MemberPeerUrls.MemberId, request.MemberPeerUrls.PeerUrls.ToList());
            UpdatePeers();
        }
        else if (request.CommandCase == RaftRequest.CommandOneofCase.Alarm)
        {
            ApplyAlarm(request.Alarm);
        }
        if (request.CommandCase is RaftRequest.CommandOneofCase.V2Write or RaftRequest.CommandOneofCase.V2Sync) ApplyV2(request);
        if (request.CommandCase == RaftRequest.CommandOneofCase.V2Auth) ApplyV2Auth(request);
        if (result.Events.Count > 0)
            foreach (var subscriber in _subscribers) subscriber(result.Events, Store.CurrentRevision);
        OnLeaseApplied(request, result);
    }

    private void ApplyConfigChange(ConfigChange change)
    {
        MemberTable.Apply(change);
        UpdatePeers();
        if (change.Type == ConfigChangeType.RemoveMember && change.NodeId == MemberId) OnRemovedFromCluster();
        else if (change.Type == ConfigChangeType.RemoveMember && _isLeader) NotifyRemoved(change.NodeId);
    }

    /// <summary>Raft counts an added member from the moment its entry is in the log: connect to it now.</summary>
    private void OnConfigChangeAppended(ConfigChange change)
    {
        MemberTable.AddPending(change);
        UpdatePeers();
    }

    /// <summary>A joining member knows the cluster's members before it has applied anything.</summary>
    public void SeedMembers(IReadOnlyList<Cluster.Member> members)
    {
        MemberTable.Restore(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(members));
        UpdatePeers();
    }

    private void UpdatePeers() =>
        _network.SetPeers(MemberTable.AllWithPending.Where(m => m.Id != MemberId)
            .ToDictionary(m => m.Id, m => (IReadOnlyList<Uri>)m.PeerUrls.Select(u => new Uri(u)).ToList()));

    /// <summary>The state machine at the applied index, cheap to take; encode it off the loop.</summary>
    private StateMachineImage CaptureStateMachine() => new(MemberTable.Encode(), Store.CaptureSnapshot(), V2Store.Capture(), Store.Auth.Capture(), Store.Silos.Current, V2Auth.State);

    private void RestoreStateMachine(Snapshot snapshot) => RestoreStateMachine(snapshot.Data);

    /// <summary>Restores members, store, v2 store, auth store, silo table and v2 auth store from a snapshot written by <see cref="StateMachineImage"/>.</summary>
    public void RestoreStateMachine(ReadOnlyMemory<byte> data)
    {
        if (data.IsEmpty) return;
        var span = data.Span;
        var length = BinaryPrimitives.ReadInt32LittleEndian(span);
        MemberTable.Restore(span.Slice(4, length));
        using var stream = System.Runtime.InteropServices.MemoryMarshal.TryGetArray(data[(4 + length)..], out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(data[(4 + length)..].ToArray());
        Store.RestoreSnapshot(stream);
        V2Store.Restore(stream); // the section after the v3 store; absent in snapshots from before the v2 store
        Store.Auth.Restore(stream); // after the v2 store; absent in snapshots from before the auth store
        Store.Silos.Restore(stream); // after the auth store; absent in snapshots from before the silo table
        V2Auth.Restore(stream); // after the silo table; absent in snapshots from before the v2 auth store
        OnV2Restored();
        UpdatePeers();
    }
}
