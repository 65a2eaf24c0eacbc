using Coordinator.Client.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Coordinator.Client;

/// <summary>Client of the etcd v3 API (Coordinator or etcd 3.4). Thread-safe; create one per process and share
/// it. One Grpc.Net.Client channel balances over the endpoints (one HTTP/2 connection per member); every call,
/// watch and keep-alive multiplexes on those.
/// API areas live in partial files: KV, watch, lease, cluster, maintenance.</summary>
public sealed partial class CoordinatorClient : IDisposable, IAsyncDisposable
{
    private readonly CancellationTokenSource _disposed = new();

    public CoordinatorClient(CoordinatorClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        Logger = options.LoggerFactory?.CreateLogger<CoordinatorClient>() ?? (ILogger)NullLogger.Instance;
        Invoker = new RpcInvoker(options, Logger);
    }

    /// <summary>Shorthand: <c>new CoordinatorClient("127.0.0.1:2379", "127.0.0.1:22379")</c>.</summary>
    public CoordinatorClient(params string[] endpoints)
        : this(new CoordinatorClientOptions { Endpoints = endpoints.ToList() })
    {
    }

    public CoordinatorClientOptions Options { get; }

    /// <summary>The endpoints' base addresses, in configuration order.</summary>
    public IReadOnlyList<Uri> Endpoints => Invoker.Endpoints;

    internal RpcInvoker Invoker { get; }

    internal ILogger Logger { get; }

    /// <summary>Cancelled when the client is disposed: ends watches and keep-alives it started.</summary>
    internal CancellationToken DisposedToken => _disposed.Token;

    public void Dispose()
    {
        if (_disposed.IsCancellationRequested) return;
        _disposed.Cancel();
        Invoker.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
