using Coordinator.Gateway;
using Coordinator.Gateway.Connections;
using Coordinator.Gateway.Grpc;
using Coordinator.Gateway.Http;
using Coordinator.Gateway.Http.V2;
using Coordinator.Grains.Store;
using Coordinator.Silo.Cluster;
using Coordinator.Silo.Configuration;
using Coordinator.Silo.Orleans;
using Coordinator.Silo.Storage;
using Coordinator.Silo.Tls;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Coordinator.Silo.Hosting;

/// <summary>
/// One running member: data dir lock, WAL, state machine, replica host, peer listener and client listener.
/// Started in dependency order and stopped in reverse: clients first (open streams end UNAVAILABLE), then
/// the replica loop, then the peer transport, then the WAL and the lock.
/// </summary>
public sealed class CoordinatorServer : IAsyncDisposable
{
    private readonly ILoggerFactory _loggerFactory;
    private readonly DataDirLock _lock;
    private readonly SharedWriteAheadLog _sharedWal;
    private readonly WriteAheadLog _wal;
    private readonly ReplicaHost _host;
    private readonly PeerNetwork _peers;
    private readonly WebApplication _clientApp;
    private readonly WebApplication _peerApp;
    private readonly CancellationTokenSource _background = new();
    private readonly Task _autoCompaction;
    private readonly Task _idleTrim;

    private CoordinatorServer(ILoggerFactory loggerFactory, DataDirLock dataLock, SharedWriteAheadLog sharedWal, WriteAheadLog wal, ReplicaHost host,
        PeerNetwork peers, WebApplication clientApp, WebApplication peerApp, AutoCompactor compactor)
    {
        _loggerFactory = loggerFactory;
        _lock = dataLock;
        _sharedWal = sharedWal;
        _wal = wal;
        _host = host;
        _peers = peers;
        _clientApp = clientApp;
        _peerApp = peerApp;
        _autoCompaction = compactor.RunAsync(_background.Token);
        _idleTrim = new IdleMemoryTrimmer(loggerFactory.CreateLogger("memory"), DateTime.UtcNow, GC.GetTotalAllocatedBytes())
            .RunAsync(_background.Token);
        // A removed member stops itself, a moment later so its last answers still go out (as etcd does).
        host.RemovedToken.Register(() => Task.Delay(1000).ContinueWith(_ => _clientApp.Lifetime.StopApplication()));
    }

    public ReplicaHost Host => _host;

    public static async Task<CoordinatorServer> StartAsync(CoordinatorConfig config)
    {
        var loggerFactory = LoggerFactory.Create(b => b
            .AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; })
            .SetMinimumLevel(config.LogLevel switch
            {
                "debug" => LogLevel.Debug, "warn" => LogLevel.Warning, "error" => LogLevel.Error, _ => LogLevel.Information,
            })
            .AddFilter("Microsoft", LogLevel.Warning)
            // Orleans narrates every start-up stage at Information; its warnings and errors are kept.
            .AddFilter("Orleans", LogLevel.Warning)
            // At start-up the silo warns that server GC is off (a choice: workstation GC keeps the member small) and its
            // watchdog reports a first check measured from time zero; neither is news to an operator.
            .AddFilter("Orleans.Runtime.Silo", LogLevel.Error)
            .AddFilter("Orleans.Runtime.Watchdog", LogLevel.Error)
            // Polly narrates the Orleans placement retries at Information (the dashboard asks before the silo is up).
            .AddFilter("Polly", LogLevel.Warning)
            // Grpc.AspNetCore logs every non-OK status at Information; the gateway logs what matters.
            .AddFilter("Grpc", LogLevel.Warning)
            // Off entirely: while enabled at any level, ASP.NET Core starts an Activity (and ids) per request.
            .AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None)
            .AddFilter("Microsoft.AspNetCore.Server.Kestrel", LogLevel.Error));
        var logger = loggerFactory.CreateLogger("coordinator");
        // --discovery / --discovery-srv decide the initial cluster before the data dir exists (a failure leaves none).
        config = await Discovery.DiscoveryBootstrap.ResolveAsync(config, logger, CancellationToken.None);
        Directory.CreateDirectory(config.DataDir);
        DataDirLock dataLock;
        try { dataLock = DataDirLock.Acquire(config.DataDir); }
        catch (IOException e) { throw new ConfigurationException(e.Message); }
        var walOptions = new WalOptions
        {
            DataDir = config.DataDir,
            SnapshotCount = config.SnapshotCount,
            Log = line => logger.LogInformation("wal: {Line}", line),
#if DEBUG
            FileSystem = FailpointFileSystem.FromEnvironment() ?? DiskFileSystem.Instance, // fault tests' slow or failing disk
#endif
        };
        var sharedWal = SharedWriteAheadLog.Open(walOptions);
        var wal = sharedWal.OpenGroup(walOptions.GroupId); // the one data group (a data dir of the single-group WAL opens as it)
        var tls = MemberTls.Create(config, loggerFactory.CreateLogger("tls"));
        var (identity, knownMembers) = MemberBootstrap.Prepare(config, wal, tls.PeerDialer);
        logger.LogInformation("starting member {Name} ({Member:x}) of cluster {Cluster:x}, data dir {DataDir}",
            config.Name, identity.MemberId, identity.ClusterId, config.DataDir);

        var store = new KvStore(new StoreOptions { MaxTxnOps = config.MaxTxnOps, MaxRequestBytes = config.MaxRequestBytes });
        var members = new MemberTable();
        var peers = new PeerNetwork(identity, loggerFactory, tls.PeerDialer);
        var host = new ReplicaHost(new ReplicaHostOptions
        {
            MemberId = identity.MemberId,
            ClusterId = identity.ClusterId,
            Name = config.Name,
            ClientUrls = config.AdvertiseClientUrls.Select(u => u.ToString().TrimEnd('/')).ToList(),
            HeartbeatMs = config.HeartbeatMs,
            ElectionTicks = config.ElectionTicks,
            QuotaBackendBytes = config.QuotaBackendBytes,
            StrictReconfigCheck = config.StrictReconfigCheck,
            LeaderWait = TimeSpan.FromMilliseconds(3 * config.ElectionMs),
            RequestTimeout = TimeSpan.FromSeconds(5) + TimeSpan.FromMilliseconds(2 * config.ElectionMs),
        }, wal, store, members, peers, loggerFactory.CreateLogger("replica"));
        if (wal.SnapshotMetadata.Index > 0) host.RestoreStateMachine(wal.Snapshot.Data);
        else if (knownMembers is not null) host.SeedMembers(knownMembers);
        peers.Attach(host);

        var peerApp = BuildPeerApp(config, peers, tls, loggerFactory);
        await peerApp.StartAsync();
        await peers.StartAsync();
        host.Start();
        // Built while the replica campaigns: the client host (with the member silo's registrations) takes a while.
        var clientApp = BuildClientApp(config, host, tls, loggerFactory);
        await clientApp.StartAsync();
        logger.LogInformation("serving clients on {Client}, peers on {Peer}",
            string.Join(",", config.ListenClientUrls), string.Join(",", config.ListenPeerUrls));
        var compactor = new AutoCompactor(AutoCompaction.Parse(config.AutoCompactionMode, config.AutoCompactionRetention),
            host, loggerFactory.CreateLogger("compactor"));
        return new CoordinatorServer(loggerFactory, dataLock, sharedWal, wal, host, peers, clientApp, peerApp, compactor);
    }

    /// <summary>
    /// A web host with Kestrel and routing only. Not CreateSlimBuilder: that reads appsettings.json and
    /// environment settings from the working directory and watches that whole directory tree for changes
    /// (one inotify watch per subdirectory, ~1800 under a source checkout) — none of which a server
    /// configured by its flags wants.
    /// </summary>
    private static WebApplicationBuilder NewAppBuilder()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.Services.AddRoutingCore();
        return builder;
    }

    private static WebApplication BuildClientApp(CoordinatorConfig config, ReplicaHost host, MemberTls tls, ILoggerFactory loggerFactory)
    {
        var builder = NewAppBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(3));
        builder.Services.AddSingleton<ICoordinatorNode>(host);
        builder.Services.AddSingleton<IClusterAdmin>(host);
        var gateway = new GatewayOptions
        {
            MaxRequestBytes = config.MaxRequestBytes + 512 * 1024,
            Auth = new Coordinator.Gateway.Auth.AuthOptions
            {
                TokenKind = config.Auth.TokenKind,
                TokenTtl = config.Auth.TokenTtl,
                BcryptCost = config.Auth.BcryptCost,
                Jwt = config.Auth.TokenKind == "jwt"
                    ? new Coordinator.Gateway.Auth.JwtOptions(config.Auth.JwtSignMethod!, config.Auth.JwtPublicKey, config.Auth.JwtPrivateKey, config.Auth.JwtTtl)
                    : null,
                // With --client-cert-auth, a verified client certificate's common name is the user when no token is sent.
                ClientCertAuth = config.Tls.Client.ClientCertAuth,
            },
        };
        builder.Services.AddCoordinatorGateway(gateway);
        builder.AddMemberSilo(config, host, loggerFactory);
        if (config.EnableV2)
        {
            builder.Services.AddSingleton<IV2Node>(host);
            builder.Services.AddCoordinatorV2();
        }
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.ApplyCoordinatorLimits(gateway);
            k.AddServerHeader = false; // etcd sends none
            // http:// URLs: the preface sniffer picks h2c or HTTP/1.1; https:// URLs: ALPN picks h2 or http/1.1.
            foreach (var url in config.ListenClientUrls)
                k.Listen(Endpoint(url), listen =>
                {
                    if (url.Scheme == "https") listen.UseCoordinatorTlsProtocols(tls.Client!.HandshakeOptions);
                    else listen.UseCoordinatorProtocols();
                });
        });
        var app = builder.Build();
        app.UseCoordinatorGrpc();
        app.MapCoordinatorHttp();
        if (config.EnableV2) app.MapCoordinatorV2();
        app.MapCoordinatorGrpc();
        app.MapMemberSilo(config);
        // For tests and operators: the leader's member name ("0" when there is none). Handlers here are plain
        // RequestDelegates: a lambda with parameters or a return value would be compiled through expression
        // trees at startup (System.Linq.Expressions and its JIT'd code stay resident).
        app.MapGet("/debug/leader", context =>
        {
            var leader = host.LeaderId;
            return context.Response.WriteAsync(leader == 0 ? "0" : host.MemberTable.Find(leader)?.Name ?? leader.ToString("x"));
        });
        return app;
    }

    private static WebApplication BuildPeerApp(CoordinatorConfig config, PeerNetwork peers, MemberTls tls, ILoggerFactory loggerFactory)
    {
        var builder = NewAppBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.WebHost.ConfigureKestrel(k =>
        {
            foreach (var url in config.ListenPeerUrls)
                k.Listen(Endpoint(url), listen =>
                {
                    listen.Protocols = HttpProtocols.Http2;
                    if (url.Scheme == "https") listen.UseHttps(tls.Peer!.HandshakeOptions);
                });
            peers.ConfigureKestrel(k);
        });
        var app = builder.Build();
        peers.MapEndpoints(app);
        // What a member joining with --initial-cluster-state=existing asks first (as etcd's /members).
        app.MapGet("/members", context => Results.Json(new ClusterInfo(
            peers.ClusterId, peers.Host?.MemberTable.AllWithPending.ToList() ?? [])).ExecuteAsync(context));
        return app;
    }

    private static System.Net.IPEndPoint Endpoint(Uri url)
    {
        if (System.Net.IPAddress.TryParse(url.Host, out var ip)) return new System.Net.IPEndPoint(ip, url.Port);
        if (url.Host is "localhost") return new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, url.Port);
        var addresses = System.Net.Dns.GetHostAddresses(url.Host);
        if (addresses.Length == 0) throw new ConfigurationException($"cannot resolve {url.Host}");
        return new System.Net.IPEndPoint(addresses[0], url.Port);
    }

    public Task WaitForShutdownAsync() => _clientApp.WaitForShutdownAsync();

    public async ValueTask DisposeAsync()
    {
        _background.Cancel();
        await _clientApp.StopAsync();
        await _host.DisposeAsync();
        await _peers.DisposeAsync();
        await _peerApp.StopAsync();
        try { await _autoCompaction; } catch { }
        try { await _idleTrim; } catch { }
        await _clientApp.DisposeAsync();
        await _peerApp.DisposeAsync();
        _wal.Dispose();
        _sharedWal.Dispose();
        _lock.Dispose();
        _loggerFactory.Dispose();
    }
}
