using System.Collections.Concurrent;
using Coordinator.Client.Tests.Fixtures;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using Mvccpb;

namespace Coordinator.Client.Tests;

/// <summary>
/// The watch's inactivity watchdog against a scripted Watch server: a stream that goes silent (answers not even
/// progress requests, as a dead connection would not) is abandoned and the watch resumes on a new stream from its
/// last revision; a quiet stream that answers progress requests is kept.
/// </summary>
public sealed class WatchWatchdogTests : IAsyncLifetime
{
    private readonly ScriptedServer _server = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private CoordinatorClient NewClient() => new(new CoordinatorClientOptions
    {
        Endpoints = [_server.Endpoint],
        WatchInactivityTimeout = TimeSpan.FromMilliseconds(500),
    });

    [Fact]
    public async Task A_silent_stream_is_replaced_and_the_watch_resumes_from_its_last_revision()
    {
        var watch = new ScriptedWatch { SilentStreams = 1 };
        await _server.StartAsync(watch);
        using var client = NewClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        await using var events = client.WatchAsync(KeyRange.Prefix("w/"), ct: timeout.Token).GetAsyncEnumerator(timeout.Token);
        Assert.True(await events.MoveNextAsync());
        Assert.Equal("w/k", events.Current.Key);
        Assert.Equal(ScriptedWatch.CreatedRevision + 1, events.Current.Revision);

        var creates = watch.Creates.ToArray();
        Assert.Equal(2, creates.Length);
        Assert.Equal(0, creates[0].StartRevision);
        // Resumed after everything the first stream reported: its created header's revision + 1.
        Assert.Equal(ScriptedWatch.CreatedRevision + 1, creates[1].StartRevision);
        Assert.True(watch.ProgressRequests >= 1, "the watchdog never asked the silent stream for progress");
    }

    [Fact]
    public async Task A_quiet_stream_that_answers_progress_requests_is_kept()
    {
        var watch = new ScriptedWatch { SilentStreams = 0, AnswerProgress = true, SendEvent = false };
        await _server.StartAsync(watch);
        using var client = NewClient();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        try
        {
            await foreach (var _ in client.WatchAsync(KeyRange.Prefix("w/"), ct: stop.Token)) { }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested) { }

        Assert.True(watch.Creates.Count == 1, $"{watch.Creates.Count} creates, {watch.ProgressRequests} progress requests");
        Assert.True(watch.ProgressRequests >= 2, $"{watch.ProgressRequests} progress requests in 3 s with a 500 ms timeout");
    }

    /// <summary>The first <see cref="SilentStreams"/> streams answer the create and then nothing; later ones send one
    /// event after the create. With <see cref="AnswerProgress"/>, progress requests get a progress response.</summary>
    public sealed class ScriptedWatch : Etcdserverpb.Watch.WatchBase
    {
        public const long CreatedRevision = 5;

        private int _streams;
        private int _progress;

        public int SilentStreams { get; init; }
        public bool AnswerProgress { get; init; }
        public bool SendEvent { get; init; } = true;
        public ConcurrentQueue<WatchCreateRequest> Creates { get; } = new();
        public int ProgressRequests => Volatile.Read(ref _progress);

        public override async Task Watch(IAsyncStreamReader<WatchRequest> requests, IServerStreamWriter<WatchResponse> responses, ServerCallContext context)
        {
            var silent = Interlocked.Increment(ref _streams) <= SilentStreams;
            try
            {
                while (await requests.MoveNext(context.CancellationToken))
                {
                    var request = requests.Current;
                    if (request.CreateRequest is { } create)
                    {
                        Creates.Enqueue(create);
                        await responses.WriteAsync(new WatchResponse { Header = new ResponseHeader { Revision = CreatedRevision }, Created = true });
                        if (silent || !SendEvent) continue;
                        var response = new WatchResponse { Header = new ResponseHeader { Revision = CreatedRevision + 1 } };
                        response.Events.Add(new Event
                        {
                            Type = Event.Types.EventType.Put,
                            Kv = new KeyValue { Key = ByteString.CopyFromUtf8("w/k"), Value = ByteString.CopyFromUtf8("v"), ModRevision = CreatedRevision + 1 },
                        });
                        await responses.WriteAsync(response);
                    }
                    else if (request.ProgressRequest is not null)
                    {
                        Interlocked.Increment(ref _progress);
                        if (AnswerProgress && !silent)
                            await responses.WriteAsync(new WatchResponse { Header = new ResponseHeader { Revision = CreatedRevision }, WatchId = -1 });
                    }
                }
                await Task.Delay(Timeout.Infinite, context.CancellationToken);
            }
            catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
            {
            }
        }
    }
}
