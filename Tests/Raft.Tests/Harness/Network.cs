using System.Text;
using Coordinator.Grains.Raft;

namespace Coordinator.Tests.Raft.Harness;

/// <summary>
/// Replicas over <see cref="MemoryLogStorage"/> joined by a synchronous, deterministic network.
/// <para>
/// Every time a replica is touched (tick, step, propose, ...) its host drains it: for each Ready it
/// (1) persists Snapshot, HardState and Entries, (2) sends the Messages (into <see cref="InFlight"/>),
/// (3) restores/applies the snapshot and committed entries to the node's state machine and records
/// ReadStates, (4) calls Advance. Messages travel only when a test calls <see cref="Deliver"/> (one round:
/// everything in flight now, grouped by recipient in id order, FIFO per recipient) or
/// <see cref="Stabilize"/> (rounds until nothing is in flight). Filters (isolate, cut, <see cref="DropIf"/>)
/// are checked at delivery: a blocked message is lost.
/// </para>
/// The host also checks what it can see of the contract: committed entries arrive consecutively and
/// exactly once, and a leader only appends to its log.
/// </summary>
public sealed class Network
{
    private readonly SortedDictionary<ulong, Node> _nodes = new();
    private readonly HashSet<ulong> _isolated = new();
    private readonly HashSet<(ulong From, ulong To)> _cut = new();
    private readonly Func<ulong, ReplicaOptions> _optionsFor;

    /// <summary>Sent and not yet delivered, in send order.</summary>
    public List<Message> InFlight { get; } = new();
    /// <summary>Every message ever sent, in send order.</summary>
    public List<Message> Sent { get; } = new();
    /// <summary>An extra drop rule (true = lose the message), checked at delivery.</summary>
    public Func<Message, bool>? DropIf { get; set; }
    /// <summary>Receives one human-readable line per event (transcripts).</summary>
    public Action<string>? Trace { get; set; }

    public Network(Func<ulong, ReplicaOptions> optionsFor) => _optionsFor = optionsFor;

    /// <summary>Default test options: classic Raft (no pre-vote, no check-quorum), T=10, heartbeat every tick,
    /// election jitter seeded by the node id.</summary>
    public static ReplicaOptions DefaultOptions(ulong id) => new()
    {
        Id = id, ElectionTicks = 10, HeartbeatTicks = 1, RandomSeed = (int)id, PreVote = false, CheckQuorum = false,
    };

    /// <summary>N bootstrapped voters with ids 1..N (see <see cref="Bootstrap"/>).</summary>
    public static Network Create(int voters, Func<ReplicaOptions, ReplicaOptions>? configure = null,
        IReadOnlyDictionary<ulong, ulong[]>? extraTerms = null, IReadOnlyDictionary<ulong, ulong>? hardStateTerms = null)
    {
        var net = new Network(id => configure is null ? DefaultOptions(id) : configure(DefaultOptions(id)));
        for (var id = 1UL; id <= (ulong)voters; id++)
        {
            var extra = extraTerms is not null && extraTerms.TryGetValue(id, out var t) ? t : null;
            var term = hardStateTerms is not null && hardStateTerms.TryGetValue(id, out var ht) ? ht : (ulong?)null;
            net.Add(id, Bootstrap.Storage(voters, extra, term));
        }
        return net;
    }

    public IReadOnlyCollection<Node> Nodes => _nodes.Values;
    public Node this[ulong id] => _nodes[id];
    public bool Contains(ulong id) => _nodes.ContainsKey(id);
    public ReplicaOptions OptionsFor(ulong id) => _optionsFor(id);

    /// <summary>Adds a replica over <paramref name="storage"/> (an empty storage = a joining member) and drains it.</summary>
    public Node Add(ulong id, MemoryLogStorage? storage = null, ReplicaOptions? options = null)
    {
        var node = new Node(id, options ?? _optionsFor(id), storage ?? new MemoryLogStorage());
        _nodes[id] = node;
        var trace = Trace;
        Trace = null; // the bootstrap apply is not interesting
        try { Drain(node); }
        finally { Trace = trace; }
        return node;
    }

    /// <summary>Rebuilds node <paramref name="id"/>'s replica from its storage (a crash and restart). The state
    /// machine survives when <paramref name="keepStateMachine"/> (the host tells the replica its applied index);
    /// otherwise it restarts from the snapshot and the committed log is applied again.</summary>
    public Node Restart(ulong id, bool keepStateMachine = true)
    {
        var node = _nodes[id];
        if (!keepStateMachine)
        {
            var snap = node.Storage.Snapshot;
            node.Applied.Clear();
            node.Applied.AddRange(SnapshotCodec.Decode(snap.Data.Span));
            node.AppliedIndex = snap.Metadata.Index;
            node.ConfigHistory.RemoveAll(c => c.Index > snap.Metadata.Index);
        }
        node.Options = node.Options with { Applied = keepStateMachine ? node.AppliedIndex : 0 };
        node.Replica = new Replica(node.Options, node.Storage);
        Drain(node);
        return node;
    }

    // ---- driving replicas -------------------------------------------------------------------------

    public void Tick(ulong id, int n = 1)
    {
        var node = _nodes[id];
        for (var i = 0; i < n; i++)
        {
            node.Replica.Tick();
            Drain(node);
        }
    }

    /// <summary>Ticks every node once per round, <paramref name="n"/> rounds, stabilizing after each when asked.</summary>
    public void TickAll(int n = 1, bool stabilize = true)
    {
        for (var i = 0; i < n; i++)
        {
            foreach (var node in _nodes.Values.ToList()) { node.Replica.Tick(); Drain(node); }
            if (stabilize) Stabilize();
        }
    }

    public void Campaign(ulong id) { _nodes[id].Replica.Campaign(); Drain(_nodes[id]); }

    public ProposeResult Propose(ulong id, string data) => Propose(id, Encoding.UTF8.GetBytes(data));

    public ProposeResult Propose(ulong id, byte[] data)
    {
        var result = _nodes[id].Replica.Propose(data);
        Drain(_nodes[id]);
        return result;
    }

    public ProposeResult ProposeConfigChange(ulong id, ConfigChangeType type, ulong nodeId)
    {
        var result = _nodes[id].Replica.ProposeConfigChange(new ConfigChange(type, nodeId));
        Drain(_nodes[id]);
        return result;
    }

    public bool ReadIndex(ulong id, ulong context)
    {
        var ok = _nodes[id].Replica.ReadIndex(context);
        Drain(_nodes[id]);
        return ok;
    }

    public void TransferLeadership(ulong id, ulong target)
    {
        _nodes[id].Replica.TransferLeadership(target);
        Drain(_nodes[id]);
    }

    /// <summary>Hands <paramref name="m"/> straight to its recipient (bypassing filters) and drains it.</summary>
    public void Step(Message m)
    {
        var node = _nodes[m.To];
        node.Replica.Step(m);
        Drain(node);
    }

    /// <summary>The host snapshots its state machine at <paramref name="index"/> (default: applied) and compacts.</summary>
    public void Compact(ulong id, ulong? index = null)
    {
        var node = _nodes[id];
        var at = index ?? node.AppliedIndex;
        if (at > node.AppliedIndex) throw new ArgumentException($"cannot snapshot {at} beyond applied {node.AppliedIndex}");
        node.Storage.CreateSnapshot(at, node.MembershipAt(at), SnapshotCodec.Encode(node.Applied.Where(e => e.Index <= at)));
    }

    // ---- the network ------------------------------------------------------------------------------

    public void Isolate(ulong id) => _isolated.Add(id);

    /// <summary>Cuts both directions between <paramref name="a"/> and <paramref name="b"/>.</summary>
    public void Cut(ulong a, ulong b) { _cut.Add((a, b)); _cut.Add((b, a)); }

    /// <summary>Splits the nodes into groups that cannot talk to each other.</summary>
    public void Partition(params ulong[][] groups)
    {
        foreach (var g in groups)
            foreach (var h in groups)
                if (!ReferenceEquals(g, h))
                    foreach (var a in g) foreach (var b in h) _cut.Add((a, b));
    }

    /// <summary>Heals every partition and removes the drop rule.</summary>
    public void Recover() { _isolated.Clear(); _cut.Clear(); DropIf = null; }

    public bool Blocked(Message m) =>
        !_nodes.ContainsKey(m.To) || _isolated.Contains(m.From) || _isolated.Contains(m.To) ||
        _cut.Contains((m.From, m.To)) || (DropIf?.Invoke(m) ?? false);

    /// <summary>One round: delivers every message now in flight for which <paramref name="select"/> holds
    /// (all by default; others stay in flight), grouped by recipient in id order. Returns what was delivered.</summary>
    public List<Message> Deliver(Func<Message, bool>? select = null, ISet<ulong>? dropTo = null)
    {
        var batch = InFlight.Where(m => select?.Invoke(m) ?? true).ToList();
        foreach (var m in batch) InFlight.Remove(m);
        var delivered = new List<Message>();
        foreach (var group in batch.GroupBy(m => m.To).OrderBy(g => g.Key))
        {
            Node? node = null;
            foreach (var m in group)
            {
                if (Blocked(m) || (dropTo?.Contains(m.To) ?? false))
                {
                    Trace?.Invoke($"dropped {m}");
                    continue;
                }
                node = _nodes[m.To];
                node.Replica.Step(m);
                delivered.Add(m);
            }
            if (node is not null) Drain(node);
        }
        return delivered;
    }

    /// <summary>Delivers rounds until nothing is in flight; returns everything delivered.</summary>
    public List<Message> Stabilize(int maxRounds = 10_000)
    {
        var delivered = new List<Message>();
        foreach (var node in _nodes.Values.ToList()) Drain(node);
        for (var round = 0; InFlight.Count > 0; round++)
        {
            if (round == maxRounds) throw new InvalidOperationException($"not stable after {maxRounds} rounds");
            delivered.AddRange(Deliver());
        }
        return delivered;
    }

    /// <summary>The leader with the highest term, if any.</summary>
    public Node? Leader() =>
        _nodes.Values.Where(n => n.Replica.Role == ReplicaRole.Leader).MaxBy(n => n.Replica.Term);

    // ---- the host loop ----------------------------------------------------------------------------

    /// <summary>Handles every Ready of <paramref name="node"/> following the contract.</summary>
    public void Drain(Node node)
    {
        var r = node.Replica;
        while (r.HasReady)
        {
            var wasLeader = r.Role == ReplicaRole.Leader;
            var rd = r.GetReady();
            node.Readies.Add(rd);
            if (rd.SoftState is { } ss)
                Trace?.Invoke($"{node.Id}: {ss.Role} term={r.Term} lead={ss.Leader}");

            // 1. persist
            if (wasLeader && rd.Entries.Count > 0 && rd.Snapshot is null && rd.Entries[0].Index <= node.Storage.LastIndex)
                throw new InvalidOperationException($"leader {node.Id} overwrites its log at {rd.Entries[0].Index} (last {node.Storage.LastIndex})");
            if (rd.Snapshot is { } snap) node.Storage.ApplySnapshot(snap);
            node.Storage.Save(rd.HardState, rd.Entries);
            if (rd.HardState is not null || rd.Entries.Count > 0 || rd.Snapshot is not null)
            {
                var what = new StringBuilder($"{node.Id}: persist");
                if (rd.HardState is { } hs) what.Append($" {hs}");
                if (rd.Entries.Count > 0) what.Append($" entries=[{string.Join(", ", rd.Entries)}]");
                if (rd.Snapshot is { } s) what.Append($" {s}");
                Trace?.Invoke(what.ToString());
            }

            // 2. send
            foreach (var m in rd.Messages)
            {
                if (m.From != node.Id || m.Group != node.Replica.Group)
                    throw new InvalidOperationException($"{node.Id} sent a message not stamped with its id/group: {m}");
                InFlight.Add(m);
                Sent.Add(m);
                Trace?.Invoke(m.ToString());
            }

            // 3. apply
            if (rd.Snapshot is { } restored)
            {
                node.Applied.Clear();
                node.Applied.AddRange(SnapshotCodec.Decode(restored.Data.Span));
                node.AppliedIndex = restored.Metadata.Index;
                node.ConfigHistory.RemoveAll(c => c.Index >= restored.Metadata.Index);
                node.ConfigHistory.Add((restored.Metadata.Index, restored.Metadata.Membership));
                Trace?.Invoke($"{node.Id}: restore {restored}");
            }
            foreach (var e in rd.CommittedEntries)
            {
                if (e.Index != node.AppliedIndex + 1)
                    throw new InvalidOperationException($"{node.Id} was handed committed entry {e.Index} after applying {node.AppliedIndex}");
                node.Applied.Add(e);
                node.AppliedIndex = e.Index;
                if (e.Type == EntryType.ConfigChange)
                    node.ConfigHistory.Add((e.Index, node.ConfigHistory[^1].Membership.Apply(ConfigChange.Decode(e.Data.Span))));
            }
            if (rd.CommittedEntries.Count > 0)
                Trace?.Invoke($"{node.Id}: apply [{string.Join(", ", rd.CommittedEntries)}]");
            foreach (var rs in rd.ReadStates)
            {
                node.ReadStates.Add(rs);
                Trace?.Invoke($"{node.Id}: read-state ctx={rs.Context} index={rs.Index}");
            }

            // 4. advance
            r.Advance(rd);
        }
    }
}
