using System.Net;
using DnsClient;
using DnsClient.Protocol;

namespace Coordinator.Client.Transport;

/// <summary>
/// The members' client URLs from DNS SRV records, as etcd's clients find them (pkg/srv GetClient):
/// _etcd-client-ssl._tcp.DOMAIN (https) and _etcd-client._tcp.DOMAIN (http), each with the optional -NAME suffix;
/// one failing lookup is fine, both failing is an error naming both. With a DNS server of our own
/// (<see cref="CoordinatorClientOptions.DnsServer"/>) the targets are resolved there too, so the channel dials
/// addresses; otherwise the targets stay names for the system's resolver.
/// </summary>
internal sealed class SrvEndpointResolver
{
    private readonly LookupClient _dns;
    private readonly IPEndPoint? _server;
    private readonly string _domain;
    private readonly string _suffix;

    public SrvEndpointResolver(string domain, string? serviceName, string? dnsServer)
    {
        _domain = domain.Trim().TrimEnd('.');
        _suffix = string.IsNullOrWhiteSpace(serviceName) ? "" : "-" + serviceName.Trim();
        if (!string.IsNullOrWhiteSpace(dnsServer))
        {
            var text = dnsServer.Trim();
            _server = IPAddress.TryParse(text, out var ip) ? new IPEndPoint(ip, 53)
                : IPEndPoint.TryParse(text, out var ep) ? ep
                : throw new ArgumentException($"DnsServer '{dnsServer}' is not an address like 127.0.0.1:53", nameof(dnsServer));
        }
        var options = _server is null ? new LookupClientOptions() : new LookupClientOptions(_server);
        options.UseCache = false;
        options.Timeout = TimeSpan.FromSeconds(3);
        options.Retries = 1;
        options.ThrowDnsErrors = false;
        _dns = new LookupClient(options);
    }

    public string Domain => _domain;

    /// <summary>Endpoints now (https first, then http, each by priority and weight). Blocking: for the first
    /// lookup when the client is built, so a bad domain fails there with the reason.</summary>
    public IReadOnlyList<Uri> Resolve() => ResolveAsync(sync: true, CancellationToken.None).GetAwaiter().GetResult();

    public Task<IReadOnlyList<Uri>> ResolveAsync(CancellationToken ct) => ResolveAsync(sync: false, ct);

    private async Task<IReadOnlyList<Uri>> ResolveAsync(bool sync, CancellationToken ct)
    {
        var endpoints = new List<Uri>();
        var errors = new List<string>();
        foreach (var (service, scheme) in new[] { ("etcd-client-ssl" + _suffix, "https"), ("etcd-client" + _suffix, "http") })
        {
            var name = $"_{service}._tcp.{_domain}";
            try
            {
                var answer = await QueryAsync(name, QueryType.SRV, sync, ct);
                var records = answer.Answers.SrvRecords().OrderBy(r => r.Priority).ThenByDescending(r => r.Weight).ToList();
                if (records.Count == 0) throw new DnsLookupFailure($"lookup {name}: no such host");
                foreach (var r in records)
                {
                    var host = r.Target.Value.TrimEnd('.');
                    if (_server is not null) host = (await ResolveHostAsync(host, sync, ct)).ToString();
                    endpoints.Add(new Uri($"{scheme}://{(host.Contains(':') ? "[" + host + "]" : host)}:{r.Port}/"));
                }
            }
            catch (DnsLookupFailure e) { errors.Add(e.Message); }
        }
        if (errors.Count == 2) throw new DnsLookupFailure($"dns lookup errors: {errors[0]} and {errors[1]}");
        return endpoints;
    }

    private async Task<IPAddress> ResolveHostAsync(string host, bool sync, CancellationToken ct)
    {
        if (IPAddress.TryParse(host, out var literal)) return literal;
        var a = await QueryAsync(host, QueryType.A, sync, ct);
        return a.Answers.ARecords().Select(r => r.Address).FirstOrDefault()
               ?? (await QueryAsync(host, QueryType.AAAA, sync, ct)).Answers.AaaaRecords().Select(r => r.Address).FirstOrDefault()
               ?? throw new DnsLookupFailure($"lookup {host}: no such host");
    }

    private async Task<IDnsQueryResponse> QueryAsync(string name, QueryType type, bool sync, CancellationToken ct)
    {
        IDnsQueryResponse response;
        try { response = sync ? _dns.Query(name, type) : await _dns.QueryAsync(name, type, QueryClass.IN, ct).ConfigureAwait(false); }
        catch (DnsResponseException e) { throw new DnsLookupFailure($"lookup {name}: {e.Message}"); }
        if (response.Header.ResponseCode == DnsHeaderResponseCode.NotExistentDomain) throw new DnsLookupFailure($"lookup {name}: no such host");
        if (response.HasError) throw new DnsLookupFailure($"lookup {name}: {response.ErrorMessage}");
        return response;
    }
}
