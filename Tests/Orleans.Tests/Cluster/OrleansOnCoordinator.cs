using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.TestingHost;

namespace Coordinator.Orleans.Tests.Cluster;

/// <summary>Silos of a TestingHost cluster on every Coordinator provider, all bound from configuration (section
/// "Coordinator" for clustering, storage and reminders, "Streams" for the stream provider), with failure detection
/// tuned to seconds.</summary>
public sealed class SiloOnCoordinator : ISiloConfigurator
{
    public void Configure(ISiloBuilder silo)
    {
        var coordinator = silo.Configuration.GetSection("Coordinator");
        silo.UseCoordinatorClustering(coordinator)
            .AddCoordinatorGrainStorage("store", coordinator)
            .AddCoordinatorGrainStorage("PubSubStore", coordinator)
            .UseCoordinatorReminderService(coordinator)
            .AddCoordinatorStreams("keys", silo.Configuration.GetSection("Streams"))
            .AddCoordinatorRecipes(coordinator);
        silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = TimeSpan.FromSeconds(1);
            o.NumMissedProbesLimit = 2;
            o.NumVotesForDeathDeclaration = 1;
            o.TableRefreshTimeout = TimeSpan.FromSeconds(2);
            o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(3);
        });
        silo.Services.AddSingleton<ILoggerProvider>(sp => new ReceiverStartRecorder(sp));
    }
}

public sealed class ClientOnCoordinator : IClientBuilderConfigurator
{
    public void Configure(IConfiguration configuration, IClientBuilder client) =>
        client.UseCoordinatorClustering(configuration.GetSection("Coordinator"));
}

/// <summary>Which silo started a stream receiver: the silos' "Stream receiver ... watches" log lines, recorded
/// with the silo's address (a test-only logger, so the library needs no hook).</summary>
public sealed class ReceiverStartRecorder(IServiceProvider services) : ILoggerProvider
{
    public static readonly ConcurrentQueue<(string ClusterId, SiloAddress Silo, string Message)> Starts = new();

    public ILogger CreateLogger(string categoryName) =>
        categoryName.EndsWith("CoordinatorQueueReceiver", StringComparison.Ordinal) ? new Recorder(services) : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public void Dispose() { }

    private sealed class Recorder(IServiceProvider services) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id != 6) return; // StreamWatchStarted
            var silo = services.GetRequiredService<ILocalSiloDetails>();
            Starts.Enqueue((silo.ClusterId, silo.SiloAddress, formatter(state, exception)));
        }
    }
}
