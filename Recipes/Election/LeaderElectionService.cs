using Coordinator.Client;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Coordinator.Recipes;

/// <summary>Campaigns in one <see cref="Election"/> for as long as the host runs: leads (calling
/// <see cref="LeaderElectionOptions.OnStartedLeading"/>), and after losing leadership campaigns again.
/// A second loop observes the election and reports every leader change. Stopping the host resigns.</summary>
public sealed partial class LeaderElectionService : BackgroundService
{
    private readonly Election _election;
    private readonly LeaderElectionOptions _options;
    private readonly ILogger _logger;
    private volatile bool _isLeader;

    public LeaderElectionService(CoordinatorClient client, string name, LeaderElectionOptions options, ILogger<LeaderElectionService>? logger = null)
    {
        _options = options;
        _election = new Election(client, name, new ElectionOptions { TimeToLive = options.TimeToLive });
        _logger = (ILogger?)logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
    }

    public string Name => _election.Name;

    public bool IsLeader => _isLeader;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var observing = _options.OnNewLeader is null ? Task.CompletedTask : ObserveAsync(stoppingToken);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await LeadOnceAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception e)
                {
                    LogCampaignFailed(_logger, Name, e);
                    await Task.Delay(_options.RetryDelay, stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await observing.ConfigureAwait(false);
    }

    /// <summary>One term: campaign, lead until the leadership or the host ends, then resign.</summary>
    private async Task LeadOnceAsync(CancellationToken stoppingToken)
    {
        await using var leadership = await _election.CampaignAsync(_options.Value, stoppingToken).ConfigureAwait(false);
        using var leading = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, leadership.LostToken);
        _isLeader = true;
        LogStartedLeading(_logger, Name, leadership.Key);
        try
        {
            var work = _options.OnStartedLeading?.Invoke(leading.Token) ?? Task.CompletedTask;
            try { await Task.Delay(Timeout.Infinite, leading.Token).ConfigureAwait(false); }
            catch (OperationCanceledException) { }
            try { await work.ConfigureAwait(false); }
            catch (Exception e) when (e is not OperationCanceledException) { LogLeaderWorkFailed(_logger, Name, e); }
            catch (OperationCanceledException) { }
        }
        finally
        {
            _isLeader = false;
            LogStoppedLeading(_logger, Name, leadership.IsLost && !stoppingToken.IsCancellationRequested);
            _options.OnStoppedLeading?.Invoke();
        }
    }

    private async Task ObserveAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var leader in _election.ObserveAsync(stoppingToken).ConfigureAwait(false))
                    _options.OnNewLeader!(leader);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogObserveFailed(_logger, Name, e);
                try { await Task.Delay(_options.RetryDelay, stoppingToken).ConfigureAwait(false); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Election {Name}: campaign failed, retrying")]
    private static partial void LogCampaignFailed(ILogger logger, string name, Exception e);

    [LoggerMessage(Level = LogLevel.Information, Message = "Election {Name}: started leading as {Key}")]
    private static partial void LogStartedLeading(ILogger logger, string name, string key);

    [LoggerMessage(Level = LogLevel.Information, Message = "Election {Name}: stopped leading (lost: {Lost})")]
    private static partial void LogStoppedLeading(ILogger logger, string name, bool lost);

    [LoggerMessage(Level = LogLevel.Error, Message = "Election {Name}: OnStartedLeading failed")]
    private static partial void LogLeaderWorkFailed(ILogger logger, string name, Exception e);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Election {Name}: observing failed, retrying")]
    private static partial void LogObserveFailed(ILogger logger, string name, Exception e);
}
