using System.Net;
using System.Net.Sockets;
using DnsClient;
using DnsClient.Protocol;

namespace Coordinator.Silo.Discovery;

/// <summary>
/// Where --discovery-srv looks names up: the system's resolver (its nameservers for SRV records, getaddrinfo
/// with /etc/hosts for hosts), or one DNS server given with --dns-server (then both go there, so a test's DNS
/// server on loopback answers everything). Errors read like Go's resolver's: "lookup NAME on SERVER: no such host".
/// </summary>
internal sealed class DnsResolver
{
    private readonly LookupClient _client;
    private readonly IPEndPoint? _server;

    public DnsResolver(IPEndPoint? server)
    {
        _server = server;
        var options = server is null ? new LookupClientOptions() : new LookupClientOptions(server);
        options.UseCache = false;
        options.Timeout = TimeSpan.FromSeconds(3);
        options.Retries = 1;
        options.ThrowDnsErrors = false;
        _client = new LookupClient(options);
    }

    private string ServerText => _server?.ToString() ?? string.Join(",", _client.NameServers.Select(n => n.ToString()));

    /// <summary>The SRV records of <paramref name="name"/>, by priority then weight (heaviest first), as a
    /// client picks them; an empty answer is "no such host", as in Go.</summary>
    public async Task<IReadOnlyList<(string Target, int Port)>> QuerySrvAsync(string name, CancellationToken ct)
    {
        var response = await QueryAsync(name, QueryType.SRV, ct);
        var records = response.Answers.SrvRecords()
            .OrderBy(r => r.Priority).ThenByDescending(r => r.Weight).ThenBy(r => r.Target.Value, StringComparer.Ordinal).ThenBy(r => r.Port)
            .Select(r => (r.Target.Value, (int)r.Port)).ToList();
        if (records.Count == 0) throw new DnsLookupException($"lookup {name} on {ServerText}: no such host");
        return records;
    }

    /// <summary>The addresses of a host (an IP literal is itself).</summary>
    public async Task<IReadOnlyList<IPAddress>> ResolveHostAsync(string host, CancellationToken ct)
    {
        var bare = host.TrimEnd('.');
        if (IPAddress.TryParse(bare.Trim('[', ']'), out var literal)) return [literal];
        if (_server is null)
        {
            try { return await Dns.GetHostAddressesAsync(bare, ct); }
            catch (SocketException e) { throw new DnsLookupException($"lookup {bare}: {e.Message}"); }
        }
        var a = await QueryAsync(bare, QueryType.A, ct);
        var addresses = a.Answers.ARecords().Select(r => r.Address).ToList();
        // IPv6 only when there is no IPv4 answer (a server may refuse AAAA for a name it holds an A record of).
        if (addresses.Count == 0) addresses.AddRange((await QueryAsync(bare, QueryType.AAAA, ct)).Answers.AaaaRecords().Select(r => r.Address));
        if (addresses.Count == 0) throw new DnsLookupException($"lookup {bare} on {ServerText}: no such host");
        return addresses;
    }

    private async Task<IDnsQueryResponse> QueryAsync(string name, QueryType type, CancellationToken ct)
    {
        IDnsQueryResponse response;
        try { response = await _client.QueryAsync(name, type, QueryClass.IN, ct); }
        catch (DnsResponseException e) { throw new DnsLookupException($"lookup {name} on {ServerText}: {e.Message}"); }
        if (response.Header.ResponseCode == DnsHeaderResponseCode.NotExistentDomain)
            throw new DnsLookupException($"lookup {name} on {ServerText}: no such host");
        if (response.HasError) throw new DnsLookupException($"lookup {name} on {ServerText}: {response.ErrorMessage}");
        return response;
    }
}
