using Microsoft.Extensions.Logging;

namespace Coordinator.Silo.Discovery;

/// <summary>
/// etcd's v2 discovery protocol (etcdserver/api/v2discovery), one member's join: check the registry is not
/// full, register "/TOKEN/MEMBER-ID-HEX" = "name=peer-url,..." with prevExist=false, then wait (watching the token
/// directory) until _config/size members have registered; the first `size` registrations by creation index are
/// the cluster. An unreachable registry is retried with backoff 2 s, 4 s, ... (256 s at most) up to
/// --discovery-retries times; every other failure is final, with etcd's error text.
/// </summary>
internal sealed class V2DiscoveryProtocol(DiscoveryRegistryClient registry, string token, ulong memberId, int maxRetries,
    ILogger logger, Func<TimeSpan, CancellationToken, Task>? sleep = null)
{
    private const int MaxExponentialRetries = 8;
    private readonly Func<TimeSpan, CancellationToken, Task> _sleep = sleep ?? Task.Delay;
    private int _retries;

    private string SelfKey => $"{token}/{memberId:x}";
    private string ConfigKey => $"{token}/_config";

    /// <summary>Registers <paramref name="self"/> (etcd's URLsMap string of this member) and returns every
    /// member's registration, in creation order.</summary>
    public async Task<List<string>> JoinAsync(string self, CancellationToken ct)
    {
        // Fast path: a full cluster is refused before registering.
        await CheckClusterAsync(ct);
        await CreateSelfAsync(self, ct);
        var (nodes, size, index) = await CheckClusterAsync(ct);
        var all = await WaitNodesAsync(nodes, size, index, ct);
        return all.Select(n => n.Value ?? "").ToList();
    }

    private async Task CreateSelfAsync(string self, CancellationToken ct)
    {
        RegistryAnswer created;
        try { created = await registry.CreateAsync(SelfKey, self, ct); }
        catch (RegistryUnavailableException e) { throw new DiscoveryException($"discovery: cannot register {SelfKey}: {e.Message}"); }
        if (created.ErrorCode == 105) throw new DiscoveryException($"discovery: found duplicate id ({SelfKey} is already registered)");
        if (!created.Ok) throw new DiscoveryException($"discovery: cannot register {SelfKey}: {created.Message} (errorCode {created.ErrorCode})");
    }

    /// <summary>The registrations (creation order), the size, and the index to watch from; throws "cluster is full"
    /// when `size` others registered before us.</summary>
    private async Task<(List<RegistryNode> Nodes, ulong Size, ulong Index)> CheckClusterAsync(CancellationToken ct)
    {
        while (true)
        {
            try { return await CheckClusterOnceAsync(ct); }
            catch (RegistryUnavailableException e) { await BackoffAsync("cluster status check", e, ct); }
        }
    }

    private async Task<(List<RegistryNode>, ulong, ulong)> CheckClusterOnceAsync(CancellationToken ct)
    {
        var sizeAnswer = await registry.GetAsync(ConfigKey + "/size", ct);
        if (sizeAnswer.ErrorCode == 100) throw new DiscoveryException($"discovery: size key not found ({ConfigKey}/size does not exist)");
        if (!sizeAnswer.Ok) throw new DiscoveryException($"discovery: cannot read {ConfigKey}/size: {sizeAnswer.Message} (errorCode {sizeAnswer.ErrorCode})");
        if (!ulong.TryParse(sizeAnswer.Node!.Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var size))
            throw new DiscoveryException($"discovery: size key is bad ({ConfigKey}/size is \"{sizeAnswer.Node.Value}\", not a number)");
        if (size == 0) throw new DiscoveryException($"discovery: size key is bad ({ConfigKey}/size is 0)");

        var dir = await registry.GetAsync(token, ct);
        if (!dir.Ok) throw new DiscoveryException($"discovery: cannot read {token}: {dir.Message} (errorCode {dir.ErrorCode})");
        var nodes = (dir.Node!.Nodes ?? []).Where(n => LastSegment(n.Key) != "_config").OrderBy(n => n.CreatedIndex).ToList();
        var selfName = $"{memberId:x}";
        for (var i = 0; i < nodes.Count; i++)
        {
            if (LastSegment(nodes[i].Key) == selfName) break;
            if ((ulong)i >= size - 1)
                throw new DiscoveryException($"discovery: cluster is full ({size} members registered under {token} before this one)", fullCluster: true);
        }
        return (nodes, size, dir.Index);
    }

    private async Task<List<RegistryNode>> WaitNodesAsync(List<RegistryNode> nodes, ulong size, ulong index, CancellationToken ct)
    {
        while (true)
        {
            var all = nodes.Take((int)Math.Min(size, (ulong)nodes.Count)).ToList();
            var next = index + 1;
            try
            {
                while ((ulong)all.Count < size)
                {
                    logger.LogInformation("discovery: found {Found} peer(s), waiting for {More} more", all.Count, size - (ulong)all.Count);
                    var answer = await registry.WaitAsync(token, next, recursive: true, ct);
                    if (!answer.Ok) throw new DiscoveryException($"discovery: watching {token} failed: {answer.Message} (errorCode {answer.ErrorCode})");
                    next = answer.Node!.ModifiedIndex + 1;
                    if (LastSegment(answer.Node.Key) == "_config" || answer.Node.Key.Contains("/_config/", StringComparison.Ordinal)) continue;
                    logger.LogInformation("discovery: found peer {Peer}", LastSegment(answer.Node.Key));
                    all.Add(answer.Node);
                }
                return all;
            }
            catch (RegistryUnavailableException e)
            {
                await BackoffAsync("waiting for other nodes", e, ct);
                (nodes, size, index) = await CheckClusterAsync(ct);
            }
        }
    }

    private async Task BackoffAsync(string step, RegistryUnavailableException e, CancellationToken ct)
    {
        if (_retries >= maxRetries)
            throw new DiscoveryException($"discovery: too many retries ({maxRetries} retries of the {step}; last: {e.Message})");
        _retries++;
        var wait = TimeSpan.FromSeconds(1 << Math.Min(_retries, MaxExponentialRetries));
        logger.LogWarning("discovery: {Step}: {Error}; retrying in {Wait}", step, e.Message, wait);
        await _sleep(wait, ct);
    }

    private static string LastSegment(string key) => key[(key.TrimEnd('/').LastIndexOf('/') + 1)..];
}
