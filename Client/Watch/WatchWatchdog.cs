using Coordinator.Client.Transport;
using Etcdserverpb;

namespace Coordinator.Client;

/// <summary>
/// Notices a watch stream that died without an error (a member rebooted or a network dropped and no RST came
/// back). Silence alone means nothing on an idle key, so after <c>timeout</c> without a message it asks the
/// server for a progress notification, which a live server answers at once; a stream still silent after another
/// <c>timeout</c> is aborted, and the watch resumes elsewhere. One per stream; the reader reports with <see cref="Heard"/>.
/// </summary>
internal sealed class WatchWatchdog(StreamCall<WatchRequest, WatchResponse> call, TimeSpan timeout)
{
    private static readonly WatchRequest ProgressRequest = new() { ProgressRequest = new WatchProgressRequest() };

    private long _lastHeard = Environment.TickCount64;
    private volatile bool _gaveUp;

    /// <summary>True when the watchdog aborted the stream (its read then fails with a cancellation).</summary>
    public bool GaveUp => _gaveUp;

    public void Heard() => Volatile.Write(ref _lastHeard, Environment.TickCount64);

    /// <summary>Watches until the returned handle is disposed or <paramref name="ct"/> is cancelled.</summary>
    public IDisposable Start(CancellationToken ct)
    {
        var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        _ = RunAsync(stop.Token);
        return new Stopper(stop);
    }

    private async Task RunAsync(CancellationToken ct)
    {
        var probedAt = 0L;
        var period = TimeSpan.FromTicks(Math.Max(timeout.Ticks / 4, TimeSpan.TicksPerMillisecond));
        try
        {
            while (true)
            {
                await Task.Delay(period, ct).ConfigureAwait(false);
                var heard = Volatile.Read(ref _lastHeard);
                var silence = Environment.TickCount64 - heard;
                if (silence >= 2 * (long)timeout.TotalMilliseconds)
                {
                    _gaveUp = true;
                    call.Abort();
                    return;
                }
                if (silence >= (long)timeout.TotalMilliseconds && probedAt < heard)
                {
                    probedAt = Environment.TickCount64;
                    await call.SendAsync(ProgressRequest, ct).ConfigureAwait(false);
                }
            }
        }
        catch (Exception)
        {
            // Stopped, or the stream failed under the probe: the reader sees that failure itself.
        }
    }

    private sealed class Stopper(CancellationTokenSource stop) : IDisposable
    {
        public void Dispose()
        {
            stop.Cancel();
            stop.Dispose();
        }
    }
}
