using System.Diagnostics;
using Coordinator.Client;
using Coordinator.Tests.Integration;
using Coordinator.Tests.Integration.Faults;

namespace Coordinator.Tests.Nemesis;

/// <summary>
/// A cluster of real `coordinator` processes, one per host of a <see cref="NetworkLab"/>, with the operations
/// faults need: kill -9 and restart, SIGSTOP and SIGCONT, blocked links, a slow or failing disk (the Debug
/// build's fsync failpoint), and membership changes through the Cluster API (a new member joins on a new host).
/// Every process and the lab are gone after dispose.
/// Clients follow the membership: <see cref="Membership"/> and <see cref="MembershipVersion"/> change together (under
/// one lock) whenever a learner is promoted or a member removed, and <see cref="MembershipChanged"/> is cancelled then.
/// </summary>
internal sealed class NemesisCluster : IAsyncDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("coordinator-nemesis-").FullName;
    private readonly List<Member> _members = new();
    private readonly object _gate = new();
    private int _nextHost = 1;
    private int _membershipVersion;
    private CancellationTokenSource _membershipChanged = new();

    public NetworkLab Lab { get; } = new();

    public sealed class Member(int host, CoordinatorProcess process, string failpointFile)
    {
        public int Host { get; } = host;
        public CoordinatorProcess Process { get; } = process;
        public string FailpointFile { get; } = failpointFile;
        public string Name => Process.Name;
        public string Endpoint => Process.Endpoint;
        public bool Paused { get; set; }
        /// <summary>Removed from the cluster (its process stops itself).</summary>
        public bool Removed { get; internal set; }
        /// <summary>Added as a learner and not promoted yet: it serves no client requests.</summary>
        public bool Learner { get; internal set; }
        public ulong Id { get; set; }
    }

    /// <summary>Every member ever started, removed ones too.</summary>
    public IReadOnlyList<Member> Members
    {
        get { lock (_gate) return _members.ToList(); }
    }

    /// <summary>The members in the cluster, learners included.</summary>
    public IReadOnlyList<Member> Current
    {
        get { lock (_gate) return _members.Where(m => !m.Removed).ToList(); }
    }

    /// <summary>The voting members (the ones clients talk to) and the membership version they belong to.</summary>
    public (IReadOnlyList<Member> Voters, int Version) Membership
    {
        get { lock (_gate) return (_members.Where(m => !m.Removed && !m.Learner).ToList(), _membershipVersion); }
    }

    /// <summary>Grows by one whenever the voters change.</summary>
    public int MembershipVersion => Volatile.Read(ref _membershipVersion);

    /// <summary>Cancelled once the voters differ from those of <paramref name="version"/>.</summary>
    public CancellationToken MembershipChanged(int version)
    {
        lock (_gate) return version == _membershipVersion ? _membershipChanged.Token : new CancellationToken(canceled: true);
    }

    public string Root => _root;

    public static async Task<NemesisCluster> StartAsync(int size)
    {
        var cluster = new NemesisCluster();
        var hosts = Enumerable.Range(0, size).Select(_ => cluster._nextHost++).ToList();
        foreach (var h in hosts) cluster.Lab.AddHost(h);
        var initial = string.Join(",", hosts.Select(h => $"n{h}=http://{cluster.Lab.AddressOf(h)}:2380"));
        foreach (var h in hosts)
            cluster._members.Add(cluster.NewMember(h, ["--initial-cluster", initial, "--initial-cluster-token", "nemesis"]));
        foreach (var m in cluster._members) m.Process.Start();
        await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(60));
        await using var client = cluster.Client();
        var list = await client.MemberListAsync();
        foreach (var m in cluster._members) m.Id = list.Members.Single(x => x.Name == m.Name).ID;
        return cluster;
    }

    private Member NewMember(int host, string[] args, bool fromEnvironment = false)
    {
        var address = Lab.AddressOf(host);
        var failpoints = Path.Combine(_root, $"n{host}.failpoints");
        var process = new CoordinatorProcess($"n{host}", 2379, 2380, Path.Combine(_root, $"n{host}"), args,
            nameAndClusterFromEnvironment: fromEnvironment, clientHost: address, peerHost: address,
            networkNamespace: Lab.NamespaceOf(host));
        process.Environment["COORDINATOR_FAILPOINTS"] = failpoints;
        return new Member(host, process, failpoints);
    }

    /// <summary>A client over every voter (or the given members).</summary>
    public CoordinatorClient Client(IEnumerable<Member>? members = null, TimeSpan? timeout = null) =>
        new(new CoordinatorClientOptions
        {
            Endpoints = (members ?? Membership.Voters).Select(m => m.Endpoint).ToList(),
            RequestTimeout = timeout ?? TimeSpan.FromSeconds(5),
            DialTimeout = TimeSpan.FromSeconds(2),
        });

    public void Kill(Member m) => m.Process.Kill();

    public void Restart(Member m)
    {
        if (!m.Process.Running && !m.Removed) m.Process.Start();
    }

    public void Pause(Member m)
    {
        m.Process.Signal("STOP");
        m.Paused = true;
    }

    public void Resume(Member m)
    {
        m.Process.Signal("CONT");
        m.Paused = false;
    }

    public void SetDisk(Member m, string? mode)
    {
        if (mode is null) File.Delete(m.FailpointFile);
        else File.WriteAllText(m.FailpointFile, mode);
    }

    /// <summary>Adds a learner on a new host, starts it, and returns it (promote it once it caught up).</summary>
    public async Task<Member> AddLearnerAsync(CoordinatorClient client, CancellationToken ct)
    {
        var host = _nextHost++;
        Lab.AddHost(host);
        var peerUrl = $"http://{Lab.AddressOf(host)}:2380";
        var added = await client.MemberAddAsync([peerUrl], isLearner: true, ct);
        var cluster = string.Join(",", added.Members.Select(x => $"{(x.ID == added.Member.ID ? $"n{host}" : x.Name)}={x.PeerURLs[0]}"));
        var m = NewMember(host, [], fromEnvironment: true);
        m.Process.Environment["ETCD_NAME"] = $"n{host}";
        m.Process.Environment["ETCD_INITIAL_CLUSTER"] = cluster;
        m.Process.Environment["ETCD_INITIAL_CLUSTER_STATE"] = "existing";
        m.Id = added.Member.ID;
        m.Learner = true;
        lock (_gate) _members.Add(m);
        m.Process.Start();
        return m;
    }

    /// <summary>Records that the learner was promoted: clients may use it from now on.</summary>
    public void MarkPromoted(Member m) => ChangeVoters(() => m.Learner = false);

    /// <summary>Records that the member was removed: clients stop using it.</summary>
    public void MarkRemoved(Member m) => ChangeVoters(() => m.Removed = true);

    private void ChangeVoters(Action change)
    {
        CancellationTokenSource changed;
        lock (_gate)
        {
            change();
            _membershipVersion++;
            changed = _membershipChanged;
            _membershipChanged = new CancellationTokenSource();
        }
        changed.Cancel(); // never disposed: watchers may still link to its token
    }

    /// <summary>The member every running, unpaused member names as leader, if they agree.</summary>
    public async Task<Member?> AgreedLeaderAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromMilliseconds(800) };
        string? agreed = null;
        foreach (var m in Current.Where(m => m.Process.Running && !m.Paused))
        {
            string answer;
            try { answer = (await http.GetStringAsync(m.Process.ClientUrl + "/debug/leader")).Trim(); }
            catch (Exception) { return null; }
            if (answer.Length == 0 || answer == "0" || (agreed is not null && agreed != answer)) return null;
            agreed = answer;
        }
        return agreed is null ? null : Current.FirstOrDefault(m => m.Name == agreed);
    }

    public async Task<Member> WaitForLeaderAsync(TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < within)
        {
            if (await AgreedLeaderAsync() is { } leader) return leader;
            await Task.Delay(100);
        }
        throw new TimeoutException($"no agreed leader within {within}:\n{Tails()}");
    }

    /// <summary>Undoes every fault: links, disks, pauses; restarts what is down.</summary>
    public void HealAll()
    {
        Lab.Heal();
        foreach (var m in Members)
        {
            SetDisk(m, null);
            if (m.Paused) Resume(m);
            Restart(m);
        }
    }

    public string Tails(int lines = 40) => string.Join("\n", Members.Select(m =>
        $"---- {m.Name}{(m.Removed ? " (removed)" : "")}\n{string.Join("\n", m.Process.Output.Split('\n').TakeLast(lines))}"));

    public ValueTask DisposeAsync()
    {
        foreach (var m in Members) m.Process.Dispose();
        Lab.Dispose();
        try { Directory.Delete(_root, recursive: true); } catch { }
        return ValueTask.CompletedTask;
    }
}
