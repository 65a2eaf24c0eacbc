using System.Text.Json;
using Coordinator.Grains.Raft;

namespace Coordinator.Silo.Cluster;

/// <summary>
/// The replicated member list: names and URLs of the group's members, maintained by the apply loop from
/// applied config changes and publish entries, and saved in state-machine snapshots. Readers get an
/// immutable copy; only the apply loop writes.
/// </summary>
public sealed class MemberTable
{
    private volatile IReadOnlyDictionary<ulong, Member> _members = new Dictionary<ulong, Member>();
    /// <summary>Members whose config entry is in the log but not applied yet. Raft counts them from the moment
    /// they are appended, so a joining member must find itself here before the addition commits.</summary>
    private volatile IReadOnlyDictionary<ulong, Member> _pending = new Dictionary<ulong, Member>();

    public IReadOnlyList<Member> All => _members.Values.OrderBy(m => m.Id).ToList();

    /// <summary>Applied members plus those added by config entries not yet applied.</summary>
    public IReadOnlyList<Member> AllWithPending =>
        _members.Values.Concat(_pending.Values.Where(p => !_members.ContainsKey(p.Id))).OrderBy(m => m.Id).ToList();

    public Member? FindWithPending(ulong id) => Find(id) ?? _pending.GetValueOrDefault(id);

    /// <summary>A config entry adding a member entered the log (not yet applied).</summary>
    public void AddPending(ConfigChange change)
    {
        if (change.Type is not (ConfigChangeType.AddVoter or ConfigChangeType.AddLearner) || _members.ContainsKey(change.NodeId)) return;
        var attrs = Member.Attributes.Decode(change.Context.Span);
        _pending = new Dictionary<ulong, Member>(_pending)
        {
            [change.NodeId] = new Member(change.NodeId, attrs.Name, attrs.PeerUrls, [], change.Type == ConfigChangeType.AddLearner),
        };
    }
    public Member? Find(ulong id) => _members.GetValueOrDefault(id);

    public void Apply(ConfigChange change)
    {
        if (_pending.ContainsKey(change.NodeId))
        {
            var pending = new Dictionary<ulong, Member>(_pending);
            pending.Remove(change.NodeId);
            _pending = pending;
        }
        var next = new Dictionary<ulong, Member>(_members);
        var attrs = Member.Attributes.Decode(change.Context.Span);
        switch (change.Type)
        {
            case ConfigChangeType.AddVoter or ConfigChangeType.AddLearner:
                var learner = change.Type == ConfigChangeType.AddLearner;
                next[change.NodeId] = next.TryGetValue(change.NodeId, out var existing)
                    ? existing with { IsLearner = learner && existing.IsLearner, PeerUrls = attrs.PeerUrls.Count > 0 ? attrs.PeerUrls : existing.PeerUrls }
                    : new Member(change.NodeId, attrs.Name, attrs.PeerUrls, [], learner);
                break;
            case ConfigChangeType.PromoteLearner when next.TryGetValue(change.NodeId, out var m):
                next[change.NodeId] = m with { IsLearner = false };
                break;
            case ConfigChangeType.RemoveMember:
                next.Remove(change.NodeId);
                break;
        }
        _members = next;
    }

    public void Publish(ulong id, string name, IReadOnlyList<string> clientUrls)
    {
        if (!_members.TryGetValue(id, out var m)) return;
        var next = new Dictionary<ulong, Member>(_members) { [id] = m with { Name = name, ClientUrls = clientUrls } };
        _members = next;
    }

    public void UpdatePeerUrls(ulong id, IReadOnlyList<string> peerUrls)
    {
        if (!_members.TryGetValue(id, out var m)) return;
        _members = new Dictionary<ulong, Member>(_members) { [id] = m with { PeerUrls = peerUrls } };
    }

    public byte[] Encode() => JsonSerializer.SerializeToUtf8Bytes(All);

    public void Restore(ReadOnlySpan<byte> data)
    {
        var list = data.IsEmpty ? [] : JsonSerializer.Deserialize<List<Member>>(data) ?? [];
        _members = list.ToDictionary(m => m.Id);
    }
}
