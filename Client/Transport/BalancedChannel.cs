using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Balancer;
using Grpc.Net.Client.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Coordinator.Client.Transport;

/// <summary>
/// One Grpc.Net.Client channel over every configured member: a static resolver lists them, <c>round_robin</c>
/// spreads calls over a sub-connection to each (one HTTP/2 connection per member, every call and stream
/// multiplexed on it) and skips members whose connection is down while it reconnects them with exponential backoff.
/// HTTP/2 keepalive PINGs find a dead member under idle streams. Owns the channel and its handler.
/// </summary>
internal sealed class BalancedChannel : IDisposable
{
    // The target only names the resolver; every request goes to a member's own host:port.
    private const string Target = "static:///etcd";

    private readonly GrpcChannel _channel;
    private readonly IReadOnlyList<Uri> _static = [];
    private readonly SrvResolverFactory? _srv;

    public BalancedChannel(IReadOnlyList<Uri> endpoints, CoordinatorClientOptions options)
    {
        var schemes = endpoints.Select(e => e.Scheme).Distinct().ToList();
        if (schemes.Count > 1)
            throw new ArgumentException("endpoints mix http:// and https://; use one scheme for all members", nameof(endpoints));
        var secure = string.IsNullOrWhiteSpace(options.DiscoverySrv) ? schemes is ["https"] : options.UsesTls;
        var services = new ServiceCollection();
        var target = Target;
        if (!string.IsNullOrWhiteSpace(options.DiscoverySrv))
        {
            // Endpoints from DNS SRV records, looked up again when members stop answering (see Refresh).
            var srv = new SrvEndpointResolver(options.DiscoverySrv, options.DiscoverySrvName, options.DnsServer);
            IReadOnlyList<Uri> found;
            try { found = srv.Resolve(); }
            catch (DnsLookupFailure e) { throw new CoordinatorException(StatusCode.Unavailable, $"DNS SRV discovery of {srv.Domain} failed: {e.Message}", e); }
            // One channel speaks one scheme: with client TLS the _etcd-client-ssl records, else the _etcd-client ones.
            var scheme = secure ? "https" : "http";
            bool Usable(Uri endpoint) => endpoint.Scheme == scheme;
            var usable = found.Where(Usable).ToList();
            if (usable.Count == 0)
                throw new CoordinatorException(StatusCode.Unavailable,
                    $"DNS SRV discovery of {srv.Domain} found no {scheme} endpoint ({(found.Count == 0 ? "none" : string.Join(",", found))}; " +
                    (secure ? "this client has TLS settings, so it uses _etcd-client-ssl records only)" : "https endpoints from _etcd-client-ssl need the client's TLS settings, e.g. TrustedCaFile)"));
            _srv = new SrvResolverFactory(srv, usable, Usable);
            services.AddSingleton<ResolverFactory>(_srv);
            target = "etcd-srv:///" + srv.Domain;
        }
        else
        {
            _static = endpoints;
            var addresses = endpoints.Select(e => new BalancerAddress(e.Host, e.Port)).ToArray();
            services.AddSingleton<ResolverFactory>(new StaticResolverFactory(_ => addresses));
        }
        if (options.LoggerFactory is { } loggerFactory) services.AddSingleton(loggerFactory);

        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            EnableMultipleHttp2Connections = false,
            ConnectTimeout = options.DialTimeout,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            // Pings detect a dead member under an idle watch; etcd answers pings more often than every 5 s
            // with GOAWAY ENHANCE_YOUR_CALM.
            KeepAlivePingDelay = options.KeepAlivePingDelay < MinPingDelay ? MinPingDelay : options.KeepAlivePingDelay,
            KeepAlivePingTimeout = options.KeepAlivePingTimeout,
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
        };
        if (secure) handler.SslOptions = ClientTls.Create(options);
        _channel = GrpcChannel.ForAddress(target, new GrpcChannelOptions
        {
            Credentials = secure ? ChannelCredentials.SecureSsl : ChannelCredentials.Insecure,
            HttpHandler = new RequestSentTracker(handler),
            DisposeHttpClient = true,
            ServiceProvider = services.BuildServiceProvider(),
            ServiceConfig = new ServiceConfig { LoadBalancingConfigs = { new RoundRobinConfig() } },
            InitialReconnectBackoff = options.Retry.InitialBackoff,
            MaxReconnectBackoff = options.Retry.MaxBackoff,
            // Cancelling a call's token throws OperationCanceledException, as every async .NET API does.
            ThrowOperationCanceledOnCancellation = true,
            // Retries are ours (EtcdMethods): the built-in policies would replay writes.
            MaxRetryAttempts = 0,
            MaxReceiveMessageSize = null,
            MaxSendMessageSize = null,
            LoggerFactory = options.LoggerFactory,
        });
        Clients = new EtcdClients(_channel.CreateCallInvoker());
    }

    private static readonly TimeSpan MinPingDelay = TimeSpan.FromSeconds(5);

    /// <summary>The members' addresses: as configured, or the latest SRV lookup's.</summary>
    public IReadOnlyList<Uri> Endpoints => _srv?.Current ?? _static;

    /// <summary>A member stopped answering: with SRV discovery, look the records up again.</summary>
    public void Refresh() => _srv?.Refresh();


    public EtcdClients Clients { get; }

    /// <summary>"127.0.0.1:2379" (https:// when <paramref name="tls"/>, else h2c implied), "http://host:port" or
    /// "https://host:port" → the member's base address.</summary>
    public static Uri ParseAddress(string endpoint, bool tls = false)
    {
        var text = endpoint.Trim();
        if (!text.Contains("://", StringComparison.Ordinal)) text = (tls ? "https://" : "http://") + text;
        var uri = new Uri(text, UriKind.Absolute);
        if (uri.Scheme is not ("http" or "https"))
            throw new ArgumentException($"endpoint '{endpoint}' is not http:// or https://", nameof(endpoint));
        return new Uri(uri.GetLeftPart(UriPartial.Authority) + "/");
    }

    public void Dispose() => _channel.Dispose();
}
