using Coordinator.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Providers.Streams.Common;
using Orleans.Runtime;
using Orleans.Streams;

namespace Coordinator.Orleans.Streams;

/// <summary>The watch-backed persistent stream provider's adapter: one stream per watched prefix, spread over
/// <see cref="CoordinatorStreamOptions.QueueCount"/> queues by Orleans' hash ring. Read-only: producers write keys
/// (with any etcd client), consumers subscribe to the prefix's stream.</summary>
public sealed class CoordinatorStreamAdapterFactory : IQueueAdapterFactory, IQueueAdapter
{
    private readonly CoordinatorStreamOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly HashRingBasedStreamQueueMapper _mapper;
    private readonly SimpleQueueAdapterCache _cache;
    private readonly IReadOnlyList<(string Prefix, StreamId StreamId)> _streams;
    private readonly CoordinatorClient _client; // lives as long as the provider (the silo or client process)
    private readonly StreamCheckpoints _checkpoints;

    public CoordinatorStreamAdapterFactory(string name, CoordinatorStreamOptions options, ClusterOptions cluster, ILoggerFactory loggerFactory)
    {
        Name = name;
        _options = options;
        _loggerFactory = loggerFactory;
        _mapper = new HashRingBasedStreamQueueMapper(new HashRingStreamQueueMapperOptions { TotalQueueCount = options.QueueCount }, name);
        _cache = new SimpleQueueAdapterCache(new SimpleQueueCacheOptions { CacheSize = options.CacheSize }, name, loggerFactory);
        _streams = options.Prefixes.Select(p => (p, StreamOf(options, p))).ToList();
        _client = new CoordinatorClient(options.Client);
        _checkpoints = new StreamCheckpoints(_client, KeyLayout.Area(options.RootPrefix, cluster.ServiceId, "streams") + KeyLayout.Escape(name) + "/checkpoints/");
    }

    /// <summary>The stream that carries the changes under <paramref name="prefix"/>.</summary>
    public static StreamId StreamOf(CoordinatorStreamOptions options, string prefix) => StreamId.Create(options.Namespace, prefix);

    public static CoordinatorStreamAdapterFactory Create(IServiceProvider services, string name) => new(
        name,
        services.GetRequiredService<IOptionsMonitor<CoordinatorStreamOptions>>().Get(name),
        services.GetRequiredService<IOptions<ClusterOptions>>().Value,
        services.GetRequiredService<ILoggerFactory>());

    public string Name { get; }

    public bool IsRewindable => true;

    public StreamProviderDirection Direction => StreamProviderDirection.ReadOnly;

    [Obsolete("Use the overload which accepts a CancellationToken.")]
    public Task<IQueueAdapter> CreateAdapter() => Task.FromResult<IQueueAdapter>(this);

    public Task<IQueueAdapter> CreateAdapter(CancellationToken cancellationToken) => Task.FromResult<IQueueAdapter>(this);

    public IQueueAdapterCache GetQueueAdapterCache() => _cache;

    public IStreamQueueMapper GetStreamQueueMapper() => _mapper;

    public Task<IStreamFailureHandler> GetDeliveryFailureHandler(QueueId queueId) =>
        Task.FromResult<IStreamFailureHandler>(new NoOpStreamDeliveryFailureHandler());

    public IQueueAdapterReceiver CreateReceiver(QueueId queueId) => new CoordinatorQueueReceiver(
        _client, _checkpoints, _streams.Where(s => _mapper.GetQueueForStream(s.StreamId).Equals(queueId)).ToList(),
        _options, Name, queueId, _loggerFactory.CreateLogger<CoordinatorQueueReceiver>());

    public Task QueueMessageBatchAsync<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string, object>? requestContext) =>
        throw new NotSupportedException($"stream provider {Name} delivers key changes: write the key (under one of its prefixes) instead of producing to the stream");
}
