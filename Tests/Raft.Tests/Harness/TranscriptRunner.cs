using System.Text;
using Coordinator.Grains.Raft;

namespace Coordinator.Tests.Raft.Harness;

/// <summary>
/// Runs a transcript: a script of commands against a <see cref="Network"/>, each with the output it produced.
/// <code>
/// # comment lines (before a command) are kept as they are
/// campaign 1            &lt;- one command line
/// ----                  &lt;- separator
/// 1: PreCandidate ...   &lt;- expected output, one event per line ("ok" when there was none)
///                       &lt;- a blank line ends the block
/// </code>
/// Output lines, in the order things happen: <c>N: Role term=T lead=L</c> (soft state changed),
/// <c>N: persist ...</c> (HardState / entries / snapshot written before sending), <c>A->B Type ...</c>
/// (a message sent, <see cref="Message.ToString"/>), <c>N: restore ...</c> / <c>N: apply [...]</c> (state machine),
/// <c>N: read-state ctx=C index=I</c>, <c>dropped A->B ...</c> (lost by a filter at delivery).
/// <para>Commands (ids are node ids; [..] optional):</para>
/// <list type="bullet">
/// <item><c>add-nodes N [prevote=B] [checkquorum=B] [election=T] [heartbeat=H] [inflight=K] [maxbytes=M]
///   [read=safe|lease] [promote-lag=L] [group=G]</c>: N bootstrapped voters 1..N (see <see cref="Bootstrap"/>).
///   The options stick for nodes added later.</item>
/// <item><c>campaign N</c>, <c>tick N [count]</c>, <c>tick-all [count]</c> (every node once per count, no delivery)</item>
/// <item><c>propose N data</c>, <c>read-index N ctx</c>, <c>transfer-leader N target</c></item>
/// <item><c>conf-change N add-voter|add-learner|promote|remove M</c>; shorthands on the current leader:
///   <c>add-learner M</c> (also creates M with an empty log), <c>promote M</c>, <c>remove M</c></item>
/// <item><c>deliver [drop=A,B]</c>: one round (everything in flight now; messages to A, B are lost);
///   <c>stabilize</c>: rounds until nothing is in flight</item>
/// <item><c>isolate N</c>, <c>cut A B</c>, <c>recover</c></item>
/// <item><c>compact N [index]</c> (host snapshot + log compaction), <c>restart N</c></item>
/// <item><c>status N</c>, <c>log N</c>, <c>raft-state</c></item>
/// </list>
/// <c>REWRITE=1 dotnet test Tests/Raft.Tests --filter Transcript</c> writes the actual output back to the
/// source file; review the diff like code.
/// </summary>
public sealed class TranscriptRunner
{
    private Network? _net;
    private readonly List<string> _out = new();

    public sealed record Block(IReadOnlyList<string> Comments, string Command, IReadOnlyList<string> Expected);

    public static List<Block> Parse(string text)
    {
        var blocks = new List<Block>();
        var lines = text.Replace("\r\n", "\n").Split('\n');
        var i = 0;
        while (i < lines.Length)
        {
            var comments = new List<string>();
            while (i < lines.Length && (lines[i].StartsWith('#') || lines[i].Trim().Length == 0))
            {
                if (lines[i].StartsWith('#')) comments.Add(lines[i]);
                i++;
            }
            if (i >= lines.Length) break;
            var command = lines[i++].Trim();
            if (i >= lines.Length || lines[i].Trim() != "----")
                throw new FormatException($"line {i + 1}: expected ---- after '{command}'");
            i++;
            var expected = new List<string>();
            while (i < lines.Length && lines[i].Trim().Length > 0) expected.Add(lines[i++]);
            blocks.Add(new Block(comments, command, expected));
        }
        return blocks;
    }

    /// <summary>Runs every block; returns the transcript with the actual output in place of the expected.</summary>
    public static string Run(string text)
    {
        var runner = new TranscriptRunner();
        var sb = new StringBuilder();
        foreach (var block in Parse(text))
        {
            foreach (var c in block.Comments) sb.Append(c).Append('\n');
            sb.Append(block.Command).Append('\n').Append("----\n");
            var output = runner.Execute(block.Command);
            sb.Append(output.Count == 0 ? "ok\n" : string.Join("\n", output) + "\n");
            sb.Append('\n');
        }
        return sb.ToString();
    }

    public List<string> Execute(string command)
    {
        _out.Clear();
        var parts = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var args = parts.Skip(1).Where(a => !a.Contains('=')).ToList();
        var kv = parts.Skip(1).Where(a => a.Contains('=')).Select(a => a.Split('=', 2)).ToDictionary(a => a[0], a => a[1]);
        ulong Id(int i) => ulong.Parse(args[i]);
        switch (parts[0])
        {
            case "add-nodes": AddNodes(int.Parse(args[0]), kv); break;
            case "campaign": Net.Campaign(Id(0)); break;
            case "tick": Net.Tick(Id(0), args.Count > 1 ? int.Parse(args[1]) : 1); break;
            case "tick-all": Net.TickAll(args.Count > 0 ? int.Parse(args[0]) : 1, stabilize: false); break;
            case "propose":
                var at = _out.Count; // the outcome goes before the Ready lines the proposal produced
                var result = Net.Propose(Id(0), args.Count > 1 ? args[1] : "");
                _out.Insert(at, Describe(Id(0), result));
                break;
            case "conf-change": ConfChange(Id(0), args[1], Id(2)); break;
            case "add-learner":
                if (!Net.Contains(Id(0))) Net.Add(Id(0));
                ConfChange(LeaderId(), "add-learner", Id(0));
                break;
            case "promote": ConfChange(LeaderId(), "promote", Id(0)); break;
            case "remove": ConfChange(LeaderId(), "remove", Id(0)); break;
            case "read-index":
                if (!Net.ReadIndex(Id(0), ulong.Parse(args[1]))) _out.Add($"{Id(0)}: read-index refused (no leader)");
                break;
            case "transfer-leader": Net.TransferLeadership(Id(0), Id(1)); break;
            case "deliver":
                var drop = kv.TryGetValue("drop", out var d) ? d.Split(',').Select(ulong.Parse).ToHashSet() : null;
                Net.Deliver(dropTo: drop);
                break;
            case "stabilize": Net.Stabilize(); break;
            case "isolate": Net.Isolate(Id(0)); break;
            case "cut": Net.Cut(Id(0), Id(1)); break;
            case "recover": Net.Recover(); break;
            case "compact":
                Net.Compact(Id(0), args.Count > 1 ? ulong.Parse(args[1]) : null);
                var snap = Net[Id(0)].Storage.Snapshot;
                _out.Add($"{Id(0)}: compacted to {snap}, first index {Net[Id(0)].Storage.FirstIndex}");
                break;
            case "restart":
                Net.Restart(Id(0));
                _out.Add(StatusLine(Net[Id(0)]));
                break;
            case "status": Status(Net[Id(0)]); break;
            case "log": Log(Net[Id(0)]); break;
            case "raft-state":
                foreach (var n in Net.Nodes) _out.Add(StatusLine(n));
                break;
            default: throw new FormatException($"unknown command '{parts[0]}'");
        }
        return new List<string>(_out);
    }

    private Network Net => _net ?? throw new InvalidOperationException("add-nodes first");

    private ulong LeaderId() => Net.Leader()?.Id ?? throw new InvalidOperationException("no leader");

    private void AddNodes(int n, Dictionary<string, string> kv)
    {
        ReplicaOptions Configure(ReplicaOptions o) => o with
        {
            PreVote = kv.TryGetValue("prevote", out var pv) && bool.Parse(pv),
            CheckQuorum = kv.TryGetValue("checkquorum", out var cq) && bool.Parse(cq),
            ElectionTicks = kv.TryGetValue("election", out var et) ? int.Parse(et) : o.ElectionTicks,
            HeartbeatTicks = kv.TryGetValue("heartbeat", out var hb) ? int.Parse(hb) : o.HeartbeatTicks,
            MaxInflightAppends = kv.TryGetValue("inflight", out var fl) ? int.Parse(fl) : o.MaxInflightAppends,
            MaxBytesPerAppend = kv.TryGetValue("maxbytes", out var mb) ? long.Parse(mb) : o.MaxBytesPerAppend,
            ReadMode = kv.TryGetValue("read", out var rm) && rm == "lease" ? ReadMode.LeaseBased : ReadMode.Safe,
            PromoteMaxLag = kv.TryGetValue("promote-lag", out var pl) ? ulong.Parse(pl) : o.PromoteMaxLag,
            Group = kv.TryGetValue("group", out var g) ? ulong.Parse(g) : o.Group,
        };
        _net = Network.Create(n, Configure);
        _net.Trace = _out.Add;
        foreach (var node in _net.Nodes) _out.Add(StatusLine(node));
    }

    private void ConfChange(ulong on, string type, ulong node)
    {
        var t = type switch
        {
            "add-voter" => ConfigChangeType.AddVoter,
            "add-learner" => ConfigChangeType.AddLearner,
            "promote" => ConfigChangeType.PromoteLearner,
            "remove" => ConfigChangeType.RemoveMember,
            _ => throw new FormatException($"unknown config change '{type}'"),
        };
        var before = _out.Count;
        var result = Net.ProposeConfigChange(on, t, node);
        _out.Insert(before, Describe(on, result));
    }

    private static string Describe(ulong id, ProposeResult r) =>
        $"{id}: propose {r.Outcome}" + (r.Outcome == ProposeOutcome.Appended ? $" at {r.Term}/{r.Index}" : "");

    private static string StatusLine(Node n)
    {
        var r = n.Replica;
        var s = r.Status();
        return $"{n.Id}: {s.Role} term={s.Term} lead={s.Leader} vote={s.Vote} commit={s.Committed} applied={s.Applied} last={s.LastIndex} {s.Membership}"
               + (s.LeadTransferee != 0 ? $" transferee={s.LeadTransferee}" : "");
    }

    private void Status(Node n)
    {
        _out.Add(StatusLine(n));
        var s = n.Replica.Status();
        if (s.Role != ReplicaRole.Leader) return;
        foreach (var (id, p) in s.Progress.OrderBy(kv => kv.Key))
        {
            if (id == n.Id) continue;
            _out.Add($"  {id}: {p}" + (p.Inflights.Count > 0 ? $" inflight={p.Inflights.Count}" : "") + (p.RecentActive ? "" : " inactive"));
        }
        _out.Add($"  active voters=({string.Join(",", s.ActiveVoters.Order())})");
    }

    private void Log(Node n)
    {
        var log = n.Replica.Log;
        _out.Add($"{n.Id}: {log}");
        if (!n.Storage.Snapshot.IsEmpty) _out.Add($"  {n.Storage.Snapshot}");
        foreach (var e in n.LogEntries()) _out.Add($"  {e}");
    }
}
