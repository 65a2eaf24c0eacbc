using Coordinator.Client.Transport;
using Etcdserverpb;

namespace Coordinator.Client;

/// <summary>
/// Notices a watch stream that died without an error (a member rebooted or a network dropped and no RST came
/// back). Silence alone means nothing on an idle key, so after <c>timeout</c> without a message it asks the
/// server for a progress notification, which a live server answers at once; a stream that leaves the request
/// unanswered for another <c>timeout</c> is aborted, and the watch resumes elsewhere. Until the stream's first response (the create's
/// answer) it waits <c>openTimeout</c> instead: opening may include dialing a member. One per stream; the reader
/// reports with <see cref="Heard"/>.
/// </summary>
internal sealed class WatchWatchdog(StreamCall<WatchRequest, WatchResponse> call, TimeSpan timeout, TimeSpan openTimeout)
{
    private static readonly WatchRequest ProgressRequest = new() { ProgressRequest = new WatchProgressRequest() };

    private long _lastHeard = Environment.TickCount64;
    private long _heardCount;
    private volatile bool _opened;
    private volatile bool _gaveUp;

    /// <summary>True when the watchdog aborted the stream (its read then fails with a cancellation).</summary>
    public bool GaveUp => _gaveUp;

    public void Heard()
    {
        Volatile.Write(ref _lastHeard, Environment.TickCount64);
        Interlocked.Increment(ref _heardCount);
        _opened = true;
    }

    /// <summary>Watches until the returned handle is disposed or <paramref name="ct"/> is cancelled.</summary>
    public IDisposable Start(CancellationToken ct)
    {
        Volatile.Write(ref _lastHeard, Environment.TickCount64);
        var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        _ = RunAsync(stop.Token);
        return new Stopper(stop);
    }

    // Gives up only on a probe left unanswered for a whole timeout: a late tick on a busy machine never kills a
    // live stream that was not asked.
    private async Task RunAsync(CancellationToken ct)
    {
        var period = TimeSpan.FromTicks(Math.Max(timeout.Ticks / 4, TimeSpan.TicksPerMillisecond));
        var limit = (long)timeout.TotalMilliseconds;
        long probedAt = 0, heardAtProbe = -1;
        try
        {
            while (true)
            {
                await Task.Delay(period, ct).ConfigureAwait(false);
                var now = Environment.TickCount64;
                var heard = Interlocked.Read(ref _heardCount);
                if (!_opened)
                {
                    if (now - Volatile.Read(ref _lastHeard) >= (long)openTimeout.TotalMilliseconds) GiveUp();
                    if (_gaveUp) return;
                    continue;
                }
                if (heard == heardAtProbe)
                {
                    if (now - probedAt < limit) continue;
                    GiveUp();
                    return;
                }
                if (now - Volatile.Read(ref _lastHeard) < limit) continue;
                heardAtProbe = heard;
                probedAt = now;
                await call.SendAsync(ProgressRequest, ct).ConfigureAwait(false);
            }
        }
        catch (Exception)
        {
            // Stopped, or the stream failed under the probe: the reader sees that failure itself.
        }
    }

    private void GiveUp()
    {
        _gaveUp = true;
        call.Abort();
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
