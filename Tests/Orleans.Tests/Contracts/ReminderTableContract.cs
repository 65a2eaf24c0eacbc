using Coordinator.Client.Tests.Fixtures;
using Coordinator.Orleans.Reminders;
using Orleans;
using Orleans.Runtime;

namespace Coordinator.Orleans.Tests.Contracts;

/// <summary>What Orleans' reminder service needs from a table (the checks of Orleans' ReminderTableTestsBase,
/// written anew): etags, removal conflicts, per-grain reads and hash-range reads with wrap-around.</summary>
public abstract class ReminderTableContract : IAsyncLifetime
{
    private readonly IServerFixture _server;
    private readonly string _root = Fixtures.Stores.NewRoot();
    private readonly CoordinatorReminderTable _table;

    protected ReminderTableContract(IServerFixture server)
    {
        _server = server;
        _table = Fixtures.Stores.ReminderTable(server, _root);
    }

    public Task InitializeAsync() => _table.StartAsync();

    public async Task DisposeAsync()
    {
        await _table.TestOnlyClearTable();
        await _table.DisposeAsync();
    }

    [Fact]
    public async Task Upsert_read_and_remove_by_etag()
    {
        var reminder = NewReminder(NewGrain(), "foo/bar\\#b_a_z?%2F");
        var firstEtag = await _table.UpsertRow(reminder);
        var read = await _table.ReadRow(reminder.GrainId, reminder.ReminderName);
        Assert.NotNull(read);
        Assert.Equal(firstEtag, read.ETag);
        Assert.Equal(reminder.GrainId, read.GrainId);
        Assert.Equal(reminder.ReminderName, read.ReminderName);
        Assert.Equal(reminder.Period, read.Period);
        Assert.Equal(reminder.StartAt, read.StartAt);

        reminder.StartAt = DateTime.UtcNow;
        var secondEtag = await _table.UpsertRow(reminder);
        Assert.NotEqual(firstEtag, secondEtag);

        Assert.False(await _table.RemoveRow(reminder.GrainId, reminder.ReminderName, firstEtag!)); // stale etag
        Assert.False(await _table.RemoveRow(reminder.GrainId, "bla", secondEtag!));               // wrong name
        Assert.NotNull(await _table.ReadRow(reminder.GrainId, reminder.ReminderName));
        Assert.True(await _table.RemoveRow(reminder.GrainId, reminder.ReminderName, secondEtag!));
        Assert.False(await _table.RemoveRow(reminder.GrainId, reminder.ReminderName, secondEtag!)); // gone
        Assert.Null(await _table.ReadRow(reminder.GrainId, reminder.ReminderName));
        Assert.False(await _table.RemoveRow(reminder.GrainId, reminder.ReminderName, "garbage"));
        Assert.False(await _table.RemoveRow(reminder.GrainId, reminder.ReminderName, "0"));
    }

    [Fact]
    public async Task Parallel_upserts_get_distinct_etags()
    {
        var grain = NewGrain();
        var etags = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => _table.UpsertRow(NewReminder(grain, "r" + (i % 2)))));
        Assert.Equal(10, etags.Distinct().Count());
        Assert.Equal(2, (await _table.ReadRows(grain)).Reminders.Count);
    }

    [Fact]
    public async Task Reads_by_grain_return_that_grain_only_even_when_ids_share_a_prefix()
    {
        var type = GrainType.Create("remindable");
        var a = GrainId.Create(type, "a");
        var ab = GrainId.Create(type, "a/b");
        await _table.UpsertRow(NewReminder(a, "x"));
        await _table.UpsertRow(NewReminder(a, "y"));
        await _table.UpsertRow(NewReminder(ab, "x"));
        var rows = (await _table.ReadRows(a)).Reminders;
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal(a, r.GrainId));
        Assert.Single((await _table.ReadRows(ab)).Reminders);
        Assert.Empty((await _table.ReadRows(GrainId.Create(type, "b"))).Reminders);
    }

    [Fact]
    public async Task Range_reads_by_hash_wrap_around()
    {
        const int count = 150;
        var grains = Enumerable.Range(0, count).Select(_ => NewGrain()).ToArray();
        await Parallel.ForEachAsync(grains, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (g, _) => await _table.UpsertRow(NewReminder(g, "r")));
        var hashes = grains.Select(g => g.GetUniformHashCode()).ToArray();

        Assert.Equal(count, (await _table.ReadRows(0, uint.MaxValue)).Reminders.Count);
        Assert.Equal(count, (await _table.ReadRows(0, 0)).Reminders.Count);           // begin == end: the whole ring
        Assert.Equal(count, (await _table.ReadRows(uint.MaxValue, uint.MaxValue)).Reminders.Count);

        var sorted = hashes.Order().ToArray();
        var intervals = new List<(uint, uint)>
        {
            (uint.MaxValue, 0), (0, 1), (uint.MaxValue - 1, uint.MaxValue),
            (sorted[10], sorted[20]), (sorted[20], sorted[10]),                         // ends exactly on hashes
            (sorted[^1], sorted[0]), (sorted[0], sorted[^1]),
        };
        var random = new Random(19);
        for (var i = 0; i < 60; i++) intervals.Add(((uint)random.NextInt64(0, 1L << 32), (uint)random.NextInt64(0, 1L << 32)));

        foreach (var (begin, end) in intervals)
        {
            var expected = hashes.Where(h => begin < end ? h > begin && h <= end : h > begin || h <= end).ToHashSet();
            var returned = (await _table.ReadRows(begin, end)).Reminders.Select(r => r.GrainId.GetUniformHashCode()).ToList();
            Assert.Equal(returned.Count, returned.Distinct().Count()); // no reminder twice
            Assert.True(expected.SetEquals(returned), $"({begin}, {end}]: expected {expected.Count}, got {returned.Count}");
        }
    }

    [Fact]
    public async Task A_foreign_row_is_a_clear_error_naming_its_key()
    {
        var grain = NewGrain();
        await _table.UpsertRow(NewReminder(grain, "ok"));
        using var client = new Coordinator.Client.CoordinatorClient(Fixtures.Stores.ClientOptions(_server));
        var all = await client.GetPrefixAsync(_root + "/");
        var key = Assert.Single(all.Kvs).Key.ToStringUtf8();
        await client.PutAsync(key + "-junk", "][");
        var e = await Assert.ThrowsAsync<CoordinatorProviderException>(() => _table.ReadRows(0, 0));
        Assert.Contains(key + "-junk", e.Message);
    }

    private static GrainId NewGrain() =>
        GrainId.Create(GrainType.Create("my-remindable-grain"), GrainIdKeyExtensions.CreateGuidKey(Guid.NewGuid(), "foo/bar\\#baz?"));

    private static ReminderEntry NewReminder(GrainId grain, string name)
    {
        var now = DateTime.UtcNow;
        return new ReminderEntry
        {
            GrainId = grain, ReminderName = name, Period = TimeSpan.FromMinutes(1),
            StartAt = new DateTime(now.Year, now.Month, now.Day, now.Hour, now.Minute, now.Second, DateTimeKind.Utc),
        };
    }
}

[Collection(Fixtures.CoordinatorCollection.Name)]
public sealed class ReminderTableOnCoordinator(Fixtures.CoordinatorClusterFixture server) : ReminderTableContract(server);

[Collection(Fixtures.EtcdCollection.Name)]
public sealed class ReminderTableOnEtcd(EtcdServerFixture server) : ReminderTableContract(server);
