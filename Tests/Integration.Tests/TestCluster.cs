namespace Coordinator.Tests.Integration;

/// <summary>A cluster of real processes on free loopback ports, each with its own temp data dir.</summary>
internal sealed class TestCluster : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("coordinator-it-").FullName;
    public List<CoordinatorProcess> Members { get; } = new();

    public TestCluster(int size, params string[] extraArgs)
    {
        var ports = FreePorts.Take(2 * size);
        var names = Enumerable.Range(1, size).Select(i => $"m{i}").ToArray();
        var initial = string.Join(",", names.Select((n, i) => $"{n}=http://127.0.0.1:{ports[2 * i + 1]}"));
        var token = Token = "it-" + Guid.NewGuid().ToString("N")[..8];
        for (var i = 0; i < size; i++)
            Members.Add(new CoordinatorProcess(names[i], ports[2 * i], ports[2 * i + 1], Path.Combine(_root, names[i]),
                ["--initial-cluster", initial, "--initial-cluster-token", token, .. extraArgs]));
    }

    public string Root => _root;
    public string Token { get; }

    /// <summary>A member that joins later: create it (its peer URL goes to `etcdctl member add`), then
    /// <see cref="CoordinatorProcess.UseMemberAddOutput"/>, then start it. Name and cluster come from the
    /// ETCD_* lines etcdctl printed, as environment variables.</summary>
    public CoordinatorProcess NewJoiningMember(string name, params string[] extraArgs)
    {
        var ports = FreePorts.Take(2);
        var m = new CoordinatorProcess(name, ports[0], ports[1], Path.Combine(_root, name), extraArgs, nameAndClusterFromEnvironment: true);
        Members.Add(m);
        return m;
    }

    public string Endpoints => string.Join(",", Members.Where(m => m.Running).Select(m => m.Endpoint));

    public async Task StartAsync()
    {
        Members.ForEach(m => m.Start());
        await WaitForLeaderAsync();
    }

    /// <summary>Polls until every running member reports the same leader; returns the leader.</summary>
    public async Task<CoordinatorProcess> WaitForLeaderAsync(TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(30));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        while (DateTime.UtcNow < deadline)
        {
            var leaders = new List<string>();
            foreach (var m in Members.Where(m => m.Running))
            {
                try
                {
                    var json = await http.GetStringAsync(m.ClientUrl + "/debug/leader");
                    leaders.Add(json.Trim());
                }
                catch { leaders.Add(""); }
            }
            if (leaders.Count > 0 && leaders.All(l => l.Length > 0 && l != "0" && l == leaders[0]))
            {
                var leaderName = leaders[0];
                var leader = Members.FirstOrDefault(m => m.Name == leaderName && m.Running);
                if (leader is not null) return leader;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("no agreed leader; outputs:\n" + string.Join("\n---\n", Members.Select(m => m.Name + ":\n" + m.Output)));
    }

    public void Dispose()
    {
        foreach (var m in Members) m.Dispose();
        try { Directory.Delete(_root, recursive: true); } catch { }
    }
}
