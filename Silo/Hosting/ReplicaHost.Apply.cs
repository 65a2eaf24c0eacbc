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
    }

    private void ApplyRequest(RaftRequest request, ulong index)
    {
        if (request.CommandCase == RaftRequest.CommandOneofCase.Publish)
        {
            MemberTable.Publish(request.Publish.MemberId, request.Publish.Name, request.Publish.ClientUrls.ToList());
            if (request.Publish.MemberId == MemberId) _published = true;
        }
        var result = Store.Apply(request, index);
        if (result.Skipped) return;
        if (result.Events.Count > 0)
            foreach (var subscriber in _subscribers) subscriber(result.Events, Store.CurrentRevision);
        OnLeaseApplied(request, result);
        Complete(result);
    }

    private void ApplyConfigChange(ConfigChange change)
    {
        MemberTable.Apply(change);
        _network.SetPeers(MemberTable.All.Where(m => m.Id != MemberId)
            .ToDictionary(m => m.Id, m => (IReadOnlyList<Uri>)m.PeerUrls.Select(u => new Uri(u)).ToList()));
    }

    /// <summary>State-machine snapshot: member table length (4 bytes LE), member table, then the store.</summary>
    private byte[] EncodeStateMachine()
    {
        using var buffer = new MemoryStream();
        var members = MemberTable.Encode();
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, members.Length);
        buffer.Write(length);
        buffer.Write(members);
        Store.WriteSnapshot(buffer);
        return buffer.ToArray();
    }

    private void RestoreStateMachine(Snapshot snapshot) => RestoreStateMachine(snapshot.Data);

    /// <summary>Restores members and store from a snapshot made by <see cref="EncodeStateMachine"/>.</summary>
    public void RestoreStateMachine(ReadOnlyMemory<byte> data)
    {
        if (data.IsEmpty) return;
        var span = data.Span;
        var length = BinaryPrimitives.ReadInt32LittleEndian(span);
        MemberTable.Restore(span.Slice(4, length));
        using var stream = new MemoryStream(data[(4 + length)..].ToArray());
        Store.RestoreSnapshot(stream);
        _network.SetPeers(MemberTable.All.Where(m => m.Id != MemberId)
            .ToDictionary(m => m.Id, m => (IReadOnlyList<Uri>)m.PeerUrls.Select(u => new Uri(u)).ToList()));
    }
}
