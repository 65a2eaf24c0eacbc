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

    public IReadOnlyList<Member> All => _members.Values.OrderBy(m => m.Id).ToList();
    public Member? Find(ulong id) => _members.GetValueOrDefault(id);

    public void Apply(ConfigChange change)
    {
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

    public byte[] Encode() => JsonSerializer.SerializeToUtf8Bytes(All);

    public void Restore(ReadOnlySpan<byte> data)
    {
        var list = data.IsEmpty ? [] : JsonSerializer.Deserialize<List<Member>>(data) ?? [];
        _members = list.ToDictionary(m => m.Id);
    }
}
