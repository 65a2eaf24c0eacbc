using System.Diagnostics;
using Coordinator.Client.Diagnostics;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace Coordinator.Client.Transport;

/// <summary>Runs unary calls with one deadline over all their attempts and etcd's retry rules (the balancer
/// sends each attempt to the next member with a live connection), and opens streams. Owns the channel.</summary>
internal sealed class RpcInvoker : IDisposable
{
    private readonly CoordinatorClientOptions _options;
    private readonly BalancedChannel _channel;
    private readonly AuthTokenSource? _tokens;

    public RpcInvoker(CoordinatorClientOptions options, ILogger logger)
    {
        _options = options;
        Logger = logger;
        var endpoints = options.Endpoints.Count == 0 ? ["127.0.0.1:2379"] : options.Endpoints;
        _channel = new BalancedChannel(endpoints
            .SelectMany(e => e.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(e => BalancedChannel.ParseAddress(e, options.UsesTls))
            .ToArray(), options);
        if (!string.IsNullOrEmpty(options.Username)) _tokens = new AuthTokenSource(options.Username, options.Password ?? "");
    }

    public IReadOnlyList<Uri> Endpoints => _channel.Endpoints;

    public EtcdClients Clients => _channel.Clients;

    public ILogger Logger { get; }

    public RetryPolicy Retry => _options.Retry;

    public async Task<TResponse> UnaryAsync<TRequest, TResponse>(RpcMethod<TRequest, TResponse> method, TRequest request, CancellationToken ct)
    {
        using var activity = ClientTelemetry.StartCall(method.Name);
        var tag = ClientTelemetry.MethodTag(method.Name);
        ClientTelemetry.Calls.Add(1, tag);
        var started = Stopwatch.GetTimestamp();
        var deadline = DateTime.UtcNow + _options.RequestTimeout;
        var options = new CallOptions(deadline: deadline, cancellationToken: ct);
        var refreshes = 0;
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var tracker = RequestSentTracker.Begin();
                string? token = null;
                try
                {
                    if (_tokens is not null) token = await _tokens.GetAsync(Clients, options).ConfigureAwait(false);
                    var attemptOptions = token is null ? options : AuthTokenSource.WithToken(options, token);
                    return await method.Start(Clients, request, attemptOptions).ResponseAsync.ConfigureAwait(false);
                }
                catch (RpcException e) when (_tokens is not null && token is not null && refreshes < 2 && AuthTokenSource.ShouldRefresh(e))
                {
                    // The server refused the token before doing anything: a new token and the same request again.
                    refreshes++;
                    attempt--;
                    await _tokens.RefreshAsync(Clients, options, token).ConfigureAwait(false);
                    continue;
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.DeadlineExceeded || DateTime.UtcNow >= deadline)
                {
                    throw new CoordinatorException(StatusCode.DeadlineExceeded, "context deadline exceeded", e);
                }
                catch (Exception e) when (e is RpcException || (e is OperationCanceledException && !ct.IsCancellationRequested))
                {
                    if (DateTime.UtcNow >= deadline) throw new CoordinatorException(StatusCode.DeadlineExceeded, "context deadline exceeded", e);
                    var failure = CallFailure.Classify(e, tracker.Sent);
                    if (!failure.Retryable(method.ReadOnly) || attempt >= Retry.MaxAttempts) throw failure.Exception;
                    ClientTelemetry.Failovers.Add(1, tag);
                    _channel.Refresh();
                    Log.Failover(Logger, method.Name, attempt, failure.Kind.ToString(), failure.Exception.Detail);
                    // Once every member had a try, pause before the next round.
                    if (attempt % Endpoints.Count == 0) await DelayAsync(Retry.BackoffFor(attempt / Endpoints.Count - 1), deadline, ct);
                }
            }
        }
        catch (CoordinatorException ce)
        {
            ClientTelemetry.Errors.Add(1, tag, new("rpc.grpc.status_code", (int)ce.StatusCode));
            activity?.SetStatus(ActivityStatusCode.Error, ce.Message);
            Log.CallFailed(Logger, method.Name, ce.Message);
            throw;
        }
        finally
        {
            ClientTelemetry.Duration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, tag);
        }
    }

    /// <summary>Waits before a retry, but not past the call's deadline.</summary>
    private static async Task DelayAsync(TimeSpan backoff, DateTime deadline, CancellationToken ct)
    {
        var left = deadline - DateTime.UtcNow;
        if (left <= backoff)
        {
            if (left > TimeSpan.Zero) await Task.Delay(left, ct).ConfigureAwait(false);
            throw new CoordinatorException(StatusCode.DeadlineExceeded, "context deadline exceeded");
        }
        await Task.Delay(backoff, ct).ConfigureAwait(false);
    }

    /// <summary>Opens a bidirectional (or server-streaming) call on the member the balancer picks next.</summary>
    public StreamCall<TRequest, TResponse> OpenStream<TRequest, TResponse>(string name,
        Func<EtcdClients, CallOptions, AsyncDuplexStreamingCall<TRequest, TResponse>> start, Metadata? headers = null)
    {
        ClientTelemetry.Calls.Add(1, ClientTelemetry.MethodTag(name));
        if (_tokens?.Current is { } token)
        {
            headers ??= new Metadata();
            headers.Add("token", token);
        }
        return new StreamCall<TRequest, TResponse>(Clients, start, headers);
    }

    public void Dispose() => _channel.Dispose();
}
