using System.Net;

namespace Coordinator.Silo.Discovery;

/// <summary>
/// --discovery-srv: the initial cluster from the SRV records _etcd-server-ssl._tcp.DOMAIN (https peers) and
/// _etcd-server._tcp.DOMAIN (http peers), each with the optional -NAME suffix of --discovery-srv-name. A record
/// whose target resolves to one of our --initial-advertise-peer-urls (same address and port) is this member and
/// carries --name; every other record is a member named "0", "1", ... (it publishes its real name once it runs),
/// as etcd names them. Unlike etcd 3.4.23, which keeps only the https set and fails when there is none, the two
/// sets are combined and the lookup fails only when both do.
/// </summary>
internal static class SrvClusterLookup
{
    public static async Task<List<(string Name, Uri PeerUrl)>> GetClusterAsync(DnsResolver dns, string name, string domain,
        string serviceName, IReadOnlyList<Uri> advertisePeerUrls, CancellationToken ct)
    {
        var suffix = serviceName.Length > 0 ? "-" + serviceName : "";
        // Ours: address:port of every advertised peer URL, with the URL it came from.
        var ours = new List<(IPEndPoint At, Uri Url)>();
        foreach (var url in advertisePeerUrls)
        {
            try
            {
                foreach (var address in await dns.ResolveHostAsync(url.Host, ct)) ours.Add((new IPEndPoint(address, url.Port), url));
            }
            catch (DnsLookupException e)
            {
                throw new DiscoveryException($"cannot resolve --initial-advertise-peer-urls {url.ToString().TrimEnd('/')}: {e.Message}");
            }
        }
        var members = new List<(string Name, Uri PeerUrl)>();
        var nextTemporaryName = 0; // shared by both sets, so no two members get the same name
        var errors = new List<string>();
        foreach (var (service, scheme) in new[] { ("etcd-server-ssl" + suffix, "https"), ("etcd-server" + suffix, "http") })
        {
            var (found, error) = await LookupServiceAsync(dns, service, scheme, name, domain, ours, () => (nextTemporaryName++).ToString(), ct);
            members.AddRange(found);
            if (error is not null) errors.Add(error);
        }
        if (members.Count == 0) throw new DiscoveryException(string.Join("; ", errors));
        if (members.All(m => m.Name != name))
        {
            var why = errors.Count > 0 ? " (" + string.Join("; ", errors) + ")" : "";
            throw new DiscoveryException($"cannot find local etcd member \"{name}\" in SRV records{why}");
        }
        var duplicate = members.GroupBy(m => m.PeerUrl.ToString()).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new DiscoveryException($"SRV records list peer URL {duplicate.Key.TrimEnd('/')} twice");
        return members;
    }

    /// <summary>One service's records (etcd's srv.GetCluster): the members found, and why records were skipped
    /// (or why there are none).</summary>
    private static async Task<(List<(string Name, Uri PeerUrl)> Found, string? Error)> LookupServiceAsync(DnsResolver dns,
        string service, string scheme, string name, string domain, List<(IPEndPoint At, Uri Url)> ours,
        Func<string> temporaryName, CancellationToken ct)
    {
        var found = new List<(string, Uri)>();
        IReadOnlyList<(string Target, int Port)> records;
        try { records = await dns.QuerySrvAsync($"_{service}._tcp.{domain}", ct); }
        catch (DnsLookupException e) { return (found, $"error querying DNS SRV records for _{service} {e.Message}"); }
        string? error = null;
        foreach (var (target, port) in records)
        {
            IReadOnlyList<IPAddress> addresses;
            try { addresses = await dns.ResolveHostAsync(target, ct); }
            catch (DnsLookupException e) { error = e.Message; continue; }
            var host = target.TrimEnd('.'); // SRV targets end with a dot; URLs do not
            var url = new Uri($"{scheme}://{(host.Contains(':') ? "[" + host + "]" : host)}:{port}");
            var self = ours.FirstOrDefault(o => o.At.Port == port && addresses.Any(a => a.Equals(o.At.Address))).Url;
            if (self is not null && self.Scheme != scheme)
                error = $"bootstrap at {url.ToString().TrimEnd('/')} from DNS for {service} has scheme mismatch with expected peer {self.ToString().TrimEnd('/')}";
            else
                found.Add((self is not null ? name : temporaryName(), url));
        }
        return found.Count == 0 ? (found, $"error querying DNS SRV records for _{service} {error}") : (found, error);
    }
}
