using System.Runtime.CompilerServices;
using Coordinator.Client.Diagnostics;
using Coordinator.Client.Transport;
using Etcdserverpb;
using Grpc.Core;

namespace Coordinator.Client;

public sealed partial class CoordinatorClient
{
    // etcd's watch interceptor: fail the stream when the member has no leader instead of going quiet.
    private static readonly Metadata HasLeaderHeader = new() { { "hasleader", "true" } };

    /// <summary>Every change of <paramref name="range"/> (a key, or <see cref="KeyRange.Prefix(string)"/>) from
    /// <paramref name="fromRevision"/> on (0 = changes after the watch starts), in revision order.
    /// <para>Never ends silently: when the stream breaks (member killed or restarted, connection lost, member
    /// without leader) or goes silent (<see cref="CoordinatorClientOptions.WatchInactivityTimeout"/>, checked with
    /// progress requests), the watch is re-created on the next member from the last delivered revision + 1;
    /// events already delivered are skipped, so each is yielded exactly once. It ends only by
    /// <paramref name="ct"/> (OperationCanceledException), by disposing the client, or by an error:
    /// <see cref="WatchCompactedException"/> when the revision it must start from was compacted (also after a
    /// resume), or a <see cref="CoordinatorException"/> the server will not change its mind about
    /// (e.g. InvalidArgument).</para>
    /// One HTTP/2 stream per watch, multiplexed on the member's single connection.</summary>
    public async IAsyncEnumerable<WatchEvent> WatchAsync(KeyRange range, long fromRevision = 0, bool prevKv = false,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, DisposedToken);
        var token = linked.Token;
        // Invariant: every event with revision < next was yielded; 0 = "from now" until the server tells us now.
        var next = fromRevision;
        for (var failures = 0; ; failures++)
        {
            await using var call = Invoker.OpenStream<WatchRequest, WatchResponse>(
                "/etcdserverpb.Watch/Watch", (c, o) => c.Watch.Watch(o), HasLeaderHeader);
            var watchdog = new WatchWatchdog(call, Options.WatchInactivityTimeout, Options.RequestTimeout);
            Exception? broken = null;
            try
            {
                await call.SendAsync(new WatchRequest
                {
                    CreateRequest = new WatchCreateRequest
                    {
                        Key = range.Key, RangeEnd = range.RangeEnd, StartRevision = next, PrevKv = prevKv, ProgressNotify = true,
                    },
                }, token).ConfigureAwait(false);
            }
            catch (Exception e) when (!token.IsCancellationRequested)
            {
                broken = e;
            }
            using var watching = broken is null ? watchdog.Start(token) : null;
            while (broken is null)
            {
                WatchResponse? response;
                try
                {
                    response = await call.ReadAsync(token).ConfigureAwait(false);
                }
                catch (Exception e) when (!token.IsCancellationRequested)
                {
                    broken = watchdog.GaveUp ? new CoordinatorException(StatusCode.Unavailable, "watch stream silent past its inactivity timeout") : e;
                    break;
                }
                watchdog.Heard();
                if (response is null)
                {
                    broken = new CoordinatorException(StatusCode.Unavailable, "watch stream ended by the server");
                    break;
                }
                if (response.CompactRevision != 0) throw new WatchCompactedException(response.CompactRevision, next);
                if (response.Canceled)
                    throw new CoordinatorException(StatusCode.FailedPrecondition, "watch canceled by the server: " + response.CancelReason);
                if (response.Created)
                {
                    failures = 0;
                    if (next == 0) next = response.Header.Revision + 1;
                }
                // Events of one revision arrive in one response; skip against the floor at the batch start.
                var floor = next;
                foreach (var e in response.Events)
                {
                    if (e.Kv.ModRevision < floor) continue; // replayed after a resume: already delivered
                    yield return WatchEvent.From(e);
                    next = Math.Max(next, e.Kv.ModRevision + 1);
                }
            }

            var failure = CallFailure.Classify(broken!);
            if (failure.Kind == FailureKind.Final) throw failure.Exception;
            ClientTelemetry.WatchResumes.Add(1);
            Log.WatchResuming(Logger, range.ToString(), next, failure.Exception.Detail);
            await Task.Delay(Invoker.Retry.BackoffFor(failures), token).ConfigureAwait(false);
        }
    }
}
