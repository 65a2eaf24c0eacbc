using System.Threading.Channels;
using Etcdserverpb;
using Mvccpb;

namespace Coordinator.Tests.Gateway.Watch;

/// <summary>Reads a stream's responses with a deadline so a missing response fails instead of hanging.</summary>
internal static class ResponseReading
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    public static async Task<WatchResponse> NextAsync(this ChannelReader<WatchResponse> reader)
    {
        using var timeout = new CancellationTokenSource(Deadline);
        try
        {
            return await reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException("no watch response within " + Deadline);
        }
    }

    /// <summary>Reads until <paramref name="done"/> holds for a response, returning everything read.</summary>
    public static async Task<List<WatchResponse>> ReadUntilAsync(this ChannelReader<WatchResponse> reader, Func<WatchResponse, bool> done)
    {
        var read = new List<WatchResponse>();
        while (true)
        {
            var response = await reader.NextAsync();
            read.Add(response);
            if (done(response)) return read;
        }
    }

    /// <summary>Reads the events of one watch until one at or past <paramref name="revision"/> arrives.</summary>
    public static async Task<List<Event>> EventsThroughAsync(this ChannelReader<WatchResponse> reader, long watchId, long revision)
    {
        var events = new List<Event>();
        while (events.Count == 0 || events[^1].Kv.ModRevision < revision)
        {
            var response = await reader.NextAsync();
            if (response.WatchId == watchId) events.AddRange(response.Events);
        }
        return events;
    }

    /// <summary>Asserts nothing more is queued now and shortly after.</summary>
    public static async Task AssertQuietAsync(this ChannelReader<WatchResponse> reader, int milliseconds = 200)
    {
        await Task.Delay(milliseconds);
        Xunit.Assert.False(reader.TryRead(out var extra), $"unexpected response: {extra}");
    }

    public static string Describe(Event e) =>
        $"{e.Type} {e.Kv.Key.ToStringUtf8()}@{e.Kv.ModRevision}={e.Kv.Value.ToStringUtf8()}";
}
