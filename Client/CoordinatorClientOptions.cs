using Microsoft.Extensions.Logging;

namespace Coordinator.Client;

/// <summary>How a <see cref="CoordinatorClient"/> connects. Bindable from configuration (section "Coordinator").</summary>
public sealed class CoordinatorClientOptions
{
    /// <summary>The configuration section <c>AddCoordinatorClient(IConfiguration)</c> binds.</summary>
    public const string SectionName = "Coordinator";

    /// <summary>Members' client URLs: "127.0.0.1:2379", "http://host:port" or "https://host:port". Without a
    /// scheme an endpoint is https:// when any TLS option below is set, else http:// (h2c). All endpoints use the
    /// same scheme. Empty means "127.0.0.1:2379".</summary>
    public List<string> Endpoints { get; set; } = new();

    /// <summary>PEM file with the CA certificate(s) the members' server certificates must chain to (etcdctl
    /// <c>--cacert</c>). Null: the system's trusted roots.</summary>
    public string? TrustedCaFile { get; set; }

    /// <summary>PEM file of the client certificate presented to members that require one (etcdctl <c>--cert</c>;
    /// with <c>--client-cert-auth</c> its common name is the etcd user). Needs <see cref="KeyFile"/>.</summary>
    public string? CertFile { get; set; }

    /// <summary>PEM file of the client certificate's private key (etcdctl <c>--key</c>).</summary>
    public string? KeyFile { get; set; }

    /// <summary>The name every member's certificate must be valid for; null: each endpoint's own host.</summary>
    public string? ServerName { get; set; }

    /// <summary>Accept any server certificate (etcdctl <c>--insecure-skip-tls-verify</c>): only for members with
    /// self-signed auto TLS certificates. Traffic is still encrypted.</summary>
    public bool InsecureSkipTlsVerify { get; set; }

    /// <summary>True when any TLS option is set.</summary>
    internal bool UsesTls => TrustedCaFile is { Length: > 0 } || CertFile is { Length: > 0 } || KeyFile is { Length: > 0 }
        || ServerName is { Length: > 0 } || InsecureSkipTlsVerify;

    /// <summary>A DNS domain whose SRV records list the members (etcd's --discovery-srv):
    /// _etcd-client._tcp.DOMAIN (and _etcd-client-ssl._tcp.DOMAIN once the client speaks TLS). When set,
    /// <see cref="Endpoints"/> is ignored; the records are looked up again whenever a member stops answering.</summary>
    public string? DiscoverySrv { get; set; }

    /// <summary>Suffix of the SRV service names (etcd's --discovery-srv-name): _etcd-client-NAME._tcp.DOMAIN.</summary>
    public string? DiscoverySrvName { get; set; }

    /// <summary>A DNS server ("ip:port") for <see cref="DiscoverySrv"/> lookups instead of the system's resolver;
    /// targets are then resolved there as well.</summary>
    public string? DnsServer { get; set; }

    /// <summary>Timeout for establishing one TCP connection to one endpoint.</summary>
    public TimeSpan DialTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Deadline of one call including all its retries (sent as <c>grpc-timeout</c>).
    /// Streams (watch, keep-alive, snapshot) have no deadline.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>HTTP/2 PING interval on idle connections, to detect dead members. Clamped to at least 5 s:
    /// etcd answers more frequent pings with GOAWAY ENHANCE_YOUR_CALM.</summary>
    public TimeSpan KeepAlivePingDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a PING may go unanswered before the connection is considered dead.</summary>
    public TimeSpan KeepAlivePingTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A watch stream silent this long is asked for a progress notification; silent for twice this long,
    /// it is abandoned and the watch resumes on the next member from its last revision. A watch not created within
    /// <see cref="RequestTimeout"/> is retried the same way.</summary>
    public TimeSpan WatchInactivityTimeout { get; set; } = TimeSpan.FromSeconds(15);

    public RetryPolicy Retry { get; set; } = new();

    /// <summary>With <see cref="Password"/>: authenticate as this user (etcd auth). The client fetches a token on
    /// first use, sends it with every call and fetches a new one when the server reports it expired or invalid.</summary>
    public string? Username { get; set; }

    /// <summary>The password of <see cref="Username"/>; never logged.</summary>
    public string? Password { get; set; }

    /// <summary>Optional; when null the client logs nothing. Set by DI from the container.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }
}
