using System.Text;
using Coordinator.Client;
using Coordinator.Client.Tests.Fixtures;
using Coordinator.Orleans.Storage;
using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace Coordinator.Orleans.Tests.Contracts;

/// <summary>Grain storage: etag = mod_revision, and no write or clear with a stale etag ever lands.</summary>
public abstract class GrainStorageContract : IAsyncLifetime
{
    private readonly IServerFixture _server;
    private readonly string _root = Fixtures.Stores.NewRoot();
    private readonly CoordinatorGrainStorage _storage;
    private readonly CoordinatorClient _client;

    protected GrainStorageContract(IServerFixture server)
    {
        _server = server;
        _storage = Fixtures.Stores.GrainStorage(server, _root);
        _client = new CoordinatorClient(Fixtures.Stores.ClientOptions(server));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _client.DeleteRangeAsync(KeyRange.Prefix(_root + "/"));
        await _storage.DisposeAsync();
        await _client.DisposeAsync();
    }

    public sealed class Counter
    {
        public int Value { get; set; }
        public string? Note { get; set; }
    }

    [Fact]
    public async Task A_missing_record_reads_as_default_with_no_etag()
    {
        var state = new GrainState<Counter>();
        await _storage.ReadStateAsync("counter", NewGrain(), state);
        Assert.False(state.RecordExists);
        Assert.Null(state.ETag);
        Assert.NotNull(state.State);
        Assert.Equal(0, state.State!.Value);
    }

    [Fact]
    public async Task Write_then_read_round_trips_and_every_write_moves_the_etag()
    {
        var grain = NewGrain();
        var state = new GrainState<Counter>(new Counter { Value = 1, Note = "a/b ü" });
        await _storage.WriteStateAsync("counter", grain, state);
        var first = state.ETag;
        Assert.NotNull(first);
        Assert.True(state.RecordExists);
        state.State!.Value = 2;
        await _storage.WriteStateAsync("counter", grain, state);
        Assert.NotEqual(first, state.ETag);

        var read = new GrainState<Counter>();
        await _storage.ReadStateAsync("counter", grain, read);
        Assert.True(read.RecordExists);
        Assert.Equal(state.ETag, read.ETag);
        Assert.Equal(2, read.State!.Value);
        Assert.Equal("a/b ü", read.State!.Note);
        var kv = await _client.GetAsync(_storage.KeyOf("counter", grain));
        Assert.Equal(state.ETag, kv!.ModRevision.ToString()); // the etag is the record's mod_revision
    }

    [Fact]
    public async Task Two_activations_that_read_the_same_etag_cannot_both_persist()
    {
        var grain = NewGrain();
        await _storage.WriteStateAsync("counter", grain, new GrainState<Counter>(new Counter { Value = 1 }));
        var first = new GrainState<Counter>();
        var second = new GrainState<Counter>();
        await _storage.ReadStateAsync("counter", grain, first);
        await _storage.ReadStateAsync("counter", grain, second);

        first.State!.Value = 10;
        await _storage.WriteStateAsync("counter", grain, first);
        second.State!.Value = 20;
        var e = await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync("counter", grain, second));
        Assert.Equal(first.ETag, e.StoredEtag);
        Assert.Equal(10, (await Read(grain)).State!.Value);
        // The loser cannot clear either.
        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.ClearStateAsync("counter", grain, second));
        Assert.Equal(10, (await Read(grain)).State!.Value);
    }

    [Fact]
    public async Task Two_first_writes_of_a_new_grain_cannot_both_persist()
    {
        var grain = NewGrain();
        var results = await Task.WhenAll(Enumerable.Range(1, 8).Select(async i =>
        {
            try
            {
                await _storage.WriteStateAsync("counter", grain, new GrainState<Counter>(new Counter { Value = i }));
                return i;
            }
            catch (InconsistentStateException) { return 0; }
        }));
        var winner = Assert.Single(results, r => r != 0);
        Assert.Equal(winner, (await Read(grain)).State!.Value);
    }

    [Fact]
    public async Task Clear_compares_the_etag_and_a_stale_write_after_a_clear_still_loses()
    {
        foreach (var delete in new[] { false, true })
        {
            await using var storage = Fixtures.Stores.GrainStorage(_server, _root, deleteStateOnClear: delete, name: "clear-" + delete);
            var grain = NewGrain();
            var state = new GrainState<Counter>(new Counter { Value = 5 });
            await storage.WriteStateAsync("counter", grain, state);
            var stale = new GrainState<Counter> { ETag = state.ETag, State = new Counter { Value = 99 } };

            await storage.ClearStateAsync("counter", grain, state);
            Assert.False(state.RecordExists);
            Assert.Equal(0, state.State!.Value);

            var read = new GrainState<Counter>();
            await storage.ReadStateAsync("counter", grain, read);
            Assert.False(read.RecordExists);
            Assert.Equal(state.ETag, read.ETag);
            Assert.Equal(delete, read.ETag is null);
            Assert.Equal(delete, await _client.GetAsync(storage.KeyOf("counter", grain)) is null);

            await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("counter", grain, stale));
            await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync("counter", grain, stale));
            read.State!.Value = 6;
            await storage.WriteStateAsync("counter", grain, read); // the etag read after the clear works
            var after = new GrainState<Counter>();
            await storage.ReadStateAsync("counter", grain, after);
            Assert.Equal(6, after.State!.Value);
        }
    }

    [Fact]
    public async Task A_write_without_an_etag_onto_an_existing_record_is_refused()
    {
        var grain = NewGrain();
        await _storage.WriteStateAsync("counter", grain, new GrainState<Counter>(new Counter { Value = 1 }));
        await Assert.ThrowsAsync<InconsistentStateException>(() =>
            _storage.WriteStateAsync("counter", grain, new GrainState<Counter>(new Counter { Value = 2 })));
        await Assert.ThrowsAsync<InconsistentStateException>(() =>
            _storage.WriteStateAsync("counter", grain, new GrainState<Counter>(new Counter { Value = 2 }) { ETag = "not-a-revision" }));
        Assert.Equal(1, (await Read(grain)).State!.Value);
    }

    [Fact]
    public async Task State_names_and_grains_are_separate_records()
    {
        var type = GrainType.Create("g");
        var a = GrainId.Create(type, "a");
        var ab = GrainId.Create(type, "a/b");
        await _storage.WriteStateAsync("s", a, new GrainState<Counter>(new Counter { Value = 1 }));
        await _storage.WriteStateAsync("s", ab, new GrainState<Counter>(new Counter { Value = 2 }));
        await _storage.WriteStateAsync("s/t", a, new GrainState<Counter>(new Counter { Value = 3 }));
        Assert.Equal(1, (await Read(a, "s")).State!.Value);
        Assert.Equal(2, (await Read(ab, "s")).State!.Value);
        Assert.Equal(3, (await Read(a, "s/t")).State!.Value);
    }

    [Fact]
    public async Task The_serializer_is_selectable()
    {
        await using var storage = Fixtures.Stores.GrainStorage(_server, _root, new MarkedJsonSerializer(), name: "marked");
        var grain = NewGrain();
        await storage.WriteStateAsync("counter", grain, new GrainState<Counter>(new Counter { Value = 7 }));
        var raw = (await _client.GetAsync(storage.KeyOf("counter", grain)))!.Value.ToStringUtf8();
        Assert.StartsWith(MarkedJsonSerializer.Marker, raw);
        var read = new GrainState<Counter>();
        await storage.ReadStateAsync("counter", grain, read);
        Assert.Equal(7, read.State!.Value);
    }

    [Fact]
    public async Task Oversized_state_is_a_clear_error_and_the_stored_state_is_untouched()
    {
        var grain = NewGrain();
        var state = new GrainState<Counter>(new Counter { Value = 1 });
        await _storage.WriteStateAsync("counter", grain, state);
        var etag = state.ETag;

        state.State = new Counter { Value = 2, Note = new string('x', 2 * 1024 * 1024) };
        var e = await Assert.ThrowsAsync<CoordinatorProviderException>(() => _storage.WriteStateAsync("counter", grain, state));
        Assert.Contains("max-request-bytes", e.Message);
        Assert.Contains("Nothing was written", e.Message);
        Assert.Equal(etag, state.ETag);

        var read = await Read(grain);
        Assert.Equal(1, read.State!.Value);
        Assert.Equal(etag, read.ETag);
        state.State = new Counter { Value = 3 };
        await _storage.WriteStateAsync("counter", grain, state); // the grain goes on with its etag
        Assert.Equal(3, (await Read(grain)).State!.Value);
    }

    [Fact]
    public async Task A_record_that_does_not_deserialize_is_a_clear_error_naming_its_key()
    {
        var grain = NewGrain();
        var key = _storage.KeyOf("counter", grain);
        await _client.PutAsync(key, "{ not json");
        var e = await Assert.ThrowsAsync<CoordinatorProviderException>(() => Read(grain));
        Assert.Contains(key, e.Message);
        Assert.Equal("{ not json", (await _client.GetAsync(key))!.Value.ToStringUtf8());
    }

    private async Task<GrainState<Counter>> Read(GrainId grain, string stateName = "counter")
    {
        var state = new GrainState<Counter>();
        await _storage.ReadStateAsync(stateName, grain, state);
        return state;
    }

    private static GrainId NewGrain() => GrainId.Create(GrainType.Create("counter-grain"), Guid.NewGuid().ToString("N") + "/x");

    /// <summary>JSON behind a marker, to see which serializer wrote a record.</summary>
    private sealed class MarkedJsonSerializer : IGrainStorageSerializer
    {
        public const string Marker = "marked:";

        public BinaryData Serialize<T>(T? input) => new(Encoding.UTF8.GetBytes(Marker + System.Text.Json.JsonSerializer.Serialize(input)));

        public T? Deserialize<T>(BinaryData input)
        {
            var text = input.ToString();
            if (!text.StartsWith(Marker, StringComparison.Ordinal)) throw new FormatException("not marked");
            return System.Text.Json.JsonSerializer.Deserialize<T>(text[Marker.Length..]);
        }
    }
}

[Collection(Fixtures.CoordinatorCollection.Name)]
public sealed class GrainStorageOnCoordinator(Fixtures.CoordinatorClusterFixture server) : GrainStorageContract(server);

[Collection(Fixtures.EtcdCollection.Name)]
public sealed class GrainStorageOnEtcd(EtcdServerFixture server) : GrainStorageContract(server);
