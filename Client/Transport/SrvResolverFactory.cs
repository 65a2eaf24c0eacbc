using Grpc.Net.Client.Balancer;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Coordinator.Client.Transport;

/// <summary>
/// A Grpc.Net.Client resolver over <see cref="SrvEndpointResolver"/>: the balancer's addresses are the SRV
/// records' endpoints, looked up again whenever the channel or the invoker asks (a member stopped answering).
/// Keeps the last good list when a lookup fails. <see cref="Current"/> is what the invoker counts rounds by.
/// </summary>
internal sealed class SrvResolverFactory(SrvEndpointResolver srv, IReadOnlyList<Uri> initial, Func<Uri, bool> usable) : ResolverFactory
{
    private readonly SrvEndpointResolver _srv = srv;
    private readonly Func<Uri, bool> _usable = usable;
    private volatile IReadOnlyList<Uri> _current = initial;
    private SrvResolver? _resolver;

    public override string Name => "etcd-srv";

    public IReadOnlyList<Uri> Current => _current;

    public override Resolver Create(ResolverOptions options) =>
        _resolver = new SrvResolver(this, options.LoggerFactory ?? NullLoggerFactory.Instance);

    /// <summary>Asks for a new lookup (no effect while one runs).</summary>
    public void Refresh() => _resolver?.Refresh();

    internal static BalancerAddress[] Addresses(IEnumerable<Uri> endpoints) =>
        endpoints.Select(e => new BalancerAddress(e.Host.Trim('[', ']'), e.Port)).ToArray();

    private sealed class SrvResolver(SrvResolverFactory owner, ILoggerFactory loggerFactory) : PollingResolver(loggerFactory)
    {
        private readonly ILogger _logger = loggerFactory.CreateLogger<SrvResolver>();

        protected override async Task ResolveAsync(CancellationToken cancellationToken)
        {
            try
            {
                var found = (await owner._srv.ResolveAsync(cancellationToken).ConfigureAwait(false)).Where(owner._usable).ToList();
                if (found.Count > 0) owner._current = found;
                else _logger.LogWarning("SRV lookup for {Domain} found no usable endpoint; keeping {Endpoints}", owner._srv.Domain, string.Join(",", owner._current));
            }
            catch (DnsLookupFailure e)
            {
                _logger.LogWarning("SRV lookup for {Domain} failed ({Error}); keeping {Endpoints}", owner._srv.Domain, e.Message, string.Join(",", owner._current));
            }
            Listener(ResolverResult.ForResult(Addresses(owner._current)));
        }
    }
}
