using System.Diagnostics;
using Coordinator.Client.Diagnostics;
using Google.Protobuf;
using Microsoft.Extensions.Logging;

namespace Coordinator.Client.Transport;

/// <summary>Runs unary calls with deadline, retries and failover over the <see cref="EndpointPool"/>,
/// and opens streams on a healthy endpoint. Owns the pool.</summary>
internal sealed class GrpcInvoker : IDisposable
{
    private readonly CoordinatorClientOptions _options;

    public GrpcInvoker(CoordinatorClientOptions options, ILogger logger)
    {
        _options = options;
        Logger = logger;
        var endpoints = options.Endpoints.Count == 0 ? ["127.0.0.1:2379"] : options.Endpoints;
        Pool = new EndpointPool(endpoints
            .SelectMany(e => e.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(e => new ClientEndpoint(ClientEndpoint.ParseAddress(e), options)));
    }

    public EndpointPool Pool { get; }

    public ILogger Logger { get; }

    public RetryPolicy Retry => _options.Retry;

    public async Task<TResponse> UnaryAsync<TRequest, TResponse>(GrpcMethod<TRequest, TResponse> method, TRequest request, CancellationToken ct)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        using var activity = ClientTelemetry.StartCall(method.Path);
        var tag = ClientTelemetry.MethodTag(method.Path);
        ClientTelemetry.Calls.Add(1, tag);
        var started = Stopwatch.GetTimestamp();
        var timeout = _options.RequestTimeout;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        var frame = GrpcFrame.Encode(request);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var endpoint = Pool.Next();
                activity?.SetTag("server.address", endpoint.ToString());
                try
                {
                    var remaining = timeout - Stopwatch.GetElapsedTime(started);
                    var response = await SendOnceAsync(endpoint, method, frame, remaining, deadline.Token).ConfigureAwait(false);
                    endpoint.MarkHealthy();
                    return response;
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    throw;
                }
                catch (Exception e) when (deadline.IsCancellationRequested || e is CoordinatorException { IsDeadlineExceeded: true })
                {
                    throw new CoordinatorException(GrpcStatusCode.DeadlineExceeded, "context deadline exceeded", e);
                }
                catch (Exception e)
                {
                    var failure = CallFailure.Classify(e);
                    if (failure.EndpointSuspect) MarkUnhealthy(endpoint, failure.Exception.Detail);
                    if (!failure.Retryable(method.Idempotent) || attempt >= Retry.MaxAttempts) throw failure.Exception;
                    ClientTelemetry.Failovers.Add(1, tag);
                    Log.Failover(Logger, method.Path, endpoint.ToString(), attempt, failure.Exception.Detail);
                    if (attempt % Pool.Count == 0)
                        await Task.Delay(Retry.BackoffFor(attempt / Pool.Count - 1), deadline.Token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested && deadline.IsCancellationRequested)
        {
            // The backoff delay ran into the deadline.
            throw Failed(new CoordinatorException(GrpcStatusCode.DeadlineExceeded, "context deadline exceeded"));
        }
        catch (CoordinatorException ce)
        {
            throw Failed(ce);
        }
        finally
        {
            ClientTelemetry.Duration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, tag);
        }

        CoordinatorException Failed(CoordinatorException ce)
        {
            ClientTelemetry.Errors.Add(1, tag, new("rpc.grpc.status_code", (int)ce.StatusCode));
            activity?.SetStatus(ActivityStatusCode.Error, ce.Message);
            Log.CallFailed(Logger, method.Path, ce.Message);
            return ce;
        }
    }

    private static async Task<TResponse> SendOnceAsync<TRequest, TResponse>(ClientEndpoint endpoint, GrpcMethod<TRequest, TResponse> method,
        byte[] frame, TimeSpan remaining, CancellationToken ct)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        using var request = endpoint.CreateRequest(method.Path, new ByteArrayContent(frame), remaining);
        using var response = await endpoint.Invoker.SendAsync(request, ct).ConfigureAwait(false);
        GrpcStatus.ThrowIfHttpError(response);
        if (GrpcStatus.From(response.Headers) is { IsOk: false } headerStatus) throw headerStatus.ToException();
        await using var body = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        var message = await GrpcFrame.ReadAsync(body, method.ResponseParser, ct).ConfigureAwait(false);
        // Read to the end: the trailers (and the real status) are only available afterwards.
        while (await GrpcFrame.ReadAsync(body, method.ResponseParser, ct).ConfigureAwait(false) is not null) { }
        var status = GrpcStatus.From(response.TrailingHeaders) ?? GrpcStatus.From(response.Headers)
            ?? throw new CoordinatorException(GrpcStatusCode.Internal, "response ended without grpc-status");
        if (!status.IsOk) throw status.ToException();
        return message ?? throw new CoordinatorException(GrpcStatusCode.Internal, "server sent no response message");
    }

    public void MarkUnhealthy(ClientEndpoint endpoint, string reason)
    {
        if (Pool.Count > 1 || endpoint.IsHealthy)
            Log.EndpointUnhealthy(Logger, endpoint.ToString(), Retry.UnhealthyPeriod, reason);
        endpoint.MarkUnhealthy(Retry.UnhealthyPeriod);
    }

    /// <summary>Opens a bidirectional (or server-streaming) call on the next healthy endpoint.</summary>
    public DuplexCall<TRequest, TResponse> OpenStream<TRequest, TResponse>(GrpcMethod<TRequest, TResponse> method,
        IEnumerable<KeyValuePair<string, string>>? headers = null)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        ClientTelemetry.Calls.Add(1, ClientTelemetry.MethodTag(method.Path));
        return new DuplexCall<TRequest, TResponse>(Pool.Next(), method, headers);
    }

    public void Dispose() => Pool.Dispose();
}
