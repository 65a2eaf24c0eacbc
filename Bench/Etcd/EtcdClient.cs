using System.Net;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using V3lockpb;

namespace Coordinator.Bench.Etcd;

/// <summary>
/// Typed etcd v3 calls over one Grpc.Net.Client channel to one endpoint (one HTTP/2 connection, more only when
/// the server's stream limit is reached). Lean on purpose: no retries, no balancing, no deadlines. Owns the channel.
/// </summary>
public sealed class EtcdClient : IDisposable
{
    private readonly GrpcChannel _channel;
    private readonly KV.KVClient _kv;
    private readonly Lease.LeaseClient _lease;
    private readonly Watch.WatchClient _watch;
    private readonly Maintenance.MaintenanceClient _maintenance;
    private readonly V3lockpb.Lock.LockClient _lock;
    private readonly Etcdserverpb.Auth.AuthClient _auth;
    private readonly ClientSecurity _security;
    /// <summary>The token after <see cref="AuthenticateAsync"/>; sent with every call.</summary>
    private Metadata? _headers;

    public EtcdClient(string endpoint, ClientSecurity? security = null)
    {
        Endpoint = endpoint;
        _security = security ?? ClientSecurity.None;
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            // Kestrel allows 100 streams per connection by default; long-lived watches must not starve unary calls.
            EnableMultipleHttp2Connections = true,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            // Real etcd answers pings sent more often than every 5 s with GOAWAY ENHANCE_YOUR_CALM.
            KeepAlivePingDelay = TimeSpan.FromSeconds(30),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            InitialHttp2StreamWindowSize = 1 << 20,
            ConnectTimeout = TimeSpan.FromSeconds(5),
        };
        _security.Apply(handler);
        _channel = GrpcChannel.ForAddress(_security.Address(endpoint), new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
            MaxReceiveMessageSize = null,
            MaxRetryAttempts = 0,
        });
        var invoker = _channel.CreateCallInvoker();
        _kv = new KV.KVClient(invoker);
        _lease = new Lease.LeaseClient(invoker);
        _watch = new Watch.WatchClient(invoker);
        _maintenance = new Maintenance.MaintenanceClient(invoker);
        _lock = new V3lockpb.Lock.LockClient(invoker);
        _auth = new Etcdserverpb.Auth.AuthClient(invoker);
    }

    public string Endpoint { get; }

    /// <summary>The Auth service, for setting users up (calls carry no token).</summary>
    public Etcdserverpb.Auth.AuthClient Auth => _auth;

    private CallOptions Options(CancellationToken ct) => new(headers: _headers, cancellationToken: ct);

    /// <summary>With --user: logs in (one bcrypt on the server) and sends the token from then on. Simple tokens
    /// slide on use; a JWT ends at its ttl, so a run must be shorter than that.</summary>
    public async Task AuthenticateAsync(CancellationToken ct)
    {
        if (_security.User is not { } user) return;
        var response = await _auth.AuthenticateAsync(new AuthenticateRequest { Name = user, Password = _security.Password ?? "" },
            cancellationToken: ct).ResponseAsync.ConfigureAwait(false);
        _headers = new Metadata { { "token", response.Token } };
    }

    public Task<PutResponse> PutAsync(PutRequest r, CancellationToken ct) => _kv.PutAsync(r, Options(ct)).ResponseAsync;
    public Task<RangeResponse> RangeAsync(RangeRequest r, CancellationToken ct) => _kv.RangeAsync(r, Options(ct)).ResponseAsync;
    public Task<TxnResponse> TxnAsync(TxnRequest r, CancellationToken ct) => _kv.TxnAsync(r, Options(ct)).ResponseAsync;
    public Task<DeleteRangeResponse> DeleteAsync(DeleteRangeRequest r, CancellationToken ct) => _kv.DeleteRangeAsync(r, Options(ct)).ResponseAsync;
    public Task<StatusResponse> StatusAsync(CancellationToken ct) => _maintenance.StatusAsync(new StatusRequest(), Options(ct)).ResponseAsync;
    public Task<LockResponse> LockAsync(LockRequest r, CancellationToken ct) => _lock.LockAsync(r, Options(ct)).ResponseAsync;
    public Task<UnlockResponse> UnlockAsync(UnlockRequest r, CancellationToken ct) => _lock.UnlockAsync(r, Options(ct)).ResponseAsync;

    public async Task<long> GrantLeaseAsync(long ttlSeconds, CancellationToken ct) =>
        (await _lease.LeaseGrantAsync(new LeaseGrantRequest { TTL = ttlSeconds }, Options(ct)).ResponseAsync.ConfigureAwait(false)).ID;

    public Task RevokeLeaseAsync(long id, CancellationToken ct) =>
        _lease.LeaseRevokeAsync(new LeaseRevokeRequest { ID = id }, Options(ct)).ResponseAsync;

    public Task<RangeResponse> GetAsync(ByteString key, bool serializable, CancellationToken ct) =>
        RangeAsync(new RangeRequest { Key = key, Serializable = serializable }, ct);

    public WatchStream OpenWatch(CancellationToken ct) => new(new DuplexStream<WatchRequest, WatchResponse>(_watch.Watch(Options(ct))), ct);

    public DuplexStream<LeaseKeepAliveRequest, LeaseKeepAliveResponse> OpenKeepAlive(CancellationToken ct) =>
        new(_lease.LeaseKeepAlive(Options(ct)));

    public void Dispose() => _channel.Dispose();
}
