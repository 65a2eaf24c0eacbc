namespace Coordinator.Client.Transport;

/// <summary>
/// Tells whether an attempt's HTTP request was handed to a connection. It sits inside Grpc.Net.Client's balancer
/// handler, so it runs only after the balancer picked a ready sub-connection: an attempt that failed before that
/// (no member reachable, every sub-connection down) cannot have reached a server, and even a write may be retried
/// (etcd's Go client retries writes only in that case). Conservative: once handed over, a request counts as sent.
/// </summary>
internal sealed class RequestSentTracker : DelegatingHandler
{
    private static readonly AsyncLocal<Attempt?> Current = new();

    public RequestSentTracker(HttpMessageHandler inner) : base(inner)
    {
    }

    /// <summary>Starts tracking the calls made from the current async flow (one attempt at a time).</summary>
    public static Attempt Begin()
    {
        var attempt = new Attempt();
        Current.Value = attempt;
        return attempt;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (Current.Value is { } attempt) attempt.Sent = true;
        return base.SendAsync(request, cancellationToken);
    }

    internal sealed class Attempt
    {
        public volatile bool Sent;
    }
}
