using Coordinator.Grains.Store.V2;
using Coordinator.Protocol.Internal;
using Xunit;

namespace Coordinator.Tests.Store.V2;

public class V2StoreTests
{
    private const long Second = 1_000_000_000L;
    private static readonly long Now = 1_800_000_000L * Second; // a fixed "leader clock" for the tests

    internal static V2Write Put(string path, string value = "", long expiration = 0, bool? prevExist = null, string prevValue = "",
        ulong prevIndex = 0, bool dir = false, bool refresh = false)
    {
        var w = new V2Write { Method = "PUT", Path = path, Value = value, Expiration = expiration, PrevValue = prevValue, PrevIndex = prevIndex, Dir = dir, Refresh = refresh };
        if (prevExist is { } p) w.PrevExist = p;
        return w;
    }

    internal static V2Write Delete(string path, bool dir = false, bool recursive = false, string prevValue = "", ulong prevIndex = 0) =>
        new() { Method = "DELETE", Path = path, Dir = dir, Recursive = recursive, PrevValue = prevValue, PrevIndex = prevIndex };

    internal static V2Write Post(string path, string value) => new() { Method = "POST", Path = path, Value = value };

    private static V2Error Refused(V2Store store, V2Write write)
    {
        var before = store.CurrentIndex;
        var e = Assert.Throws<V2Error>(() => store.Apply(write));
        Assert.Equal(before, store.CurrentIndex); // nothing stored
        return e;
    }

    [Fact]
    public void Set_then_set_again_reports_the_previous_node_and_each_change_takes_one_index()
    {
        var s = new V2Store();
        var first = s.Apply(Put("/message", "Hello world"));
        Assert.Equal(("set", 1UL, 1UL, true), (first.Action, first.Node.ModifiedIndex, first.Node.CreatedIndex, first.IsCreated));
        var second = s.Apply(Put("/message", "My name is yundream"));
        Assert.False(second.IsCreated);
        Assert.Equal("Hello world", second.PrevNode!.Value);
        Assert.Equal(2UL, second.Node.CreatedIndex); // a set replaces the node
        var got = s.Get("/message", false, false);
        Assert.Equal(("get", "My name is yundream", 2UL), (got.Action, got.Node.Value, got.EtcdIndex));
    }

    [Fact]
    public void Missing_key_and_file_in_the_way_are_etcds_errors_with_the_current_index()
    {
        var s = new V2Store();
        s.Apply(Put("/a", "x"));
        var missing = Assert.Throws<V2Error>(() => s.Get("/nope", false, false));
        Assert.Equal((100, "Key not found", "/nope", 1UL, 404), (missing.Code, missing.Text, missing.Cause, missing.Index, missing.HttpStatus));
        Assert.Equal((104, "/a"), (Refused(s, Put("/a/b", "y")).Code, Refused(s, Put("/a/b", "y")).Cause));
        Assert.Equal(104, Assert.Throws<V2Error>(() => s.Get("/a/b", false, false)).Code);
    }

    [Fact]
    public void Parents_are_created_and_a_directory_cannot_take_a_value_or_be_deleted_while_not_empty()
    {
        var s = new V2Store();
        var set = s.Apply(Put("/user/yundream", "joinc"));
        var dir = s.Get("/user", false, false);
        Assert.True(dir.Node.Dir);
        Assert.Equal(set.Index, dir.Node.CreatedIndex);
        Assert.Equal("/user/yundream", Assert.Single(dir.Node.Nodes!).Key);
        var notFile = Refused(s, Put("/user", "info"));
        Assert.Equal((102, "Not a file", "/user", 403), (notFile.Code, notFile.Text, notFile.Cause, notFile.HttpStatus));
        var notEmpty = Refused(s, Delete("/user", dir: true));
        Assert.Equal((108, "Directory not empty", "/user"), (notEmpty.Code, notEmpty.Text, notEmpty.Cause));
        Assert.Equal(102, Refused(s, Delete("/user")).Code); // a directory needs dir=true
        var gone = s.Apply(Delete("/user", recursive: true));
        Assert.Equal(["/user/yundream", "/user"], gone.DeletedPaths);
        Assert.True(gone.Node.Dir);
    }

    [Fact]
    public void Root_is_read_only()
    {
        var s = new V2Store();
        foreach (var w in new[] { Put("/", "x"), Delete("/", recursive: true), Put("/", "x", prevExist: true) })
        {
            var e = Refused(s, w);
            Assert.Equal((107, "Root is read only", "/"), (e.Code, e.Text, e.Cause));
        }
        Assert.Equal((102, ""), (Refused(s, Delete("/", prevValue: "a")).Code, Refused(s, Delete("/", prevValue: "a")).Cause));
    }

    [Fact]
    public void Prev_exist_prev_value_and_prev_index_choose_create_update_and_compare_and_swap()
    {
        var s = new V2Store();
        var created = s.Apply(Put("/foo", "one", prevExist: false));
        Assert.Equal("create", created.Action);
        var exists = Refused(s, Put("/foo", "two", prevExist: false));
        Assert.Equal((105, "Key already exists", "/foo", 412), (exists.Code, exists.Text, exists.Cause, exists.HttpStatus));
        var swapped = s.Apply(Put("/foo", "two", prevValue: "one"));
        Assert.Equal(("compareAndSwap", created.Index, "one"), (swapped.Action, swapped.Node.CreatedIndex, swapped.PrevNode!.Value));
        var failed = Refused(s, Put("/foo", "two", prevValue: "one"));
        Assert.Equal((101, "Compare failed", "[one != two]", 412), (failed.Code, failed.Text, failed.Cause, failed.HttpStatus));
        Assert.Equal($"[1 != {swapped.Index}]", Refused(s, Put("/foo", "x", prevIndex: 1)).Cause);
        Assert.Equal($"[a != two] [1 != {swapped.Index}]", Refused(s, Put("/foo", "x", prevValue: "a", prevIndex: 1)).Cause);
        var updated = s.Apply(Put("/foo", "three", prevExist: true));
        Assert.Equal(("update", "two"), (updated.Action, updated.PrevNode!.Value));
        Assert.Equal(100, Refused(s, Put("/bar", "x", prevExist: true)).Code);
        Assert.Equal("[two != three]", Refused(s, Delete("/foo", prevValue: "two")).Cause);
        var cad = s.Apply(Delete("/foo", prevValue: "three"));
        Assert.Equal(("compareAndDelete", "three"), (cad.Action, cad.PrevNode!.Value));
        s.Apply(Put("/d", dir: true));
        Assert.Equal((102, "/d"), (Refused(s, Put("/d", "x", prevValue: "a")).Code, Refused(s, Put("/d", "x", prevValue: "a")).Cause));
    }

    [Fact]
    public void Post_creates_in_order_keys_named_by_the_zero_padded_index()
    {
        var s = new V2Store();
        s.Apply(Put("/other", "x"));
        var job1 = s.Apply(Post("/queue", "Job1"));
        var job2 = s.Apply(Post("/queue", "Job2"));
        Assert.Equal("/queue/00000000000000000002", job1.Node.Key);
        Assert.Equal("/queue/00000000000000000003", job2.Node.Key);
        Assert.Equal("create", job1.Action);
        var listed = s.Get("/queue", recursive: true, sorted: true).Node.Nodes!;
        Assert.Equal(["Job1", "Job2"], listed.Select(n => n.Value));
    }

    [Fact]
    public void Hidden_keys_are_not_listed_but_can_be_read()
    {
        var s = new V2Store();
        s.Apply(Put("/dir/_hidden", "h"));
        s.Apply(Put("/dir/shown", "v"));
        Assert.Equal(["/dir/shown"], s.Get("/dir", false, false).Node.Nodes!.Select(n => n.Key));
        Assert.Equal("h", s.Get("/dir/_hidden", false, false).Node.Value);
    }

    [Fact]
    public void A_sync_expires_keys_due_at_its_time_in_expiration_order_each_with_its_own_index()
    {
        var s = new V2Store();
        s.Apply(Put("/late", "x", expiration: Now + 10 * Second));
        s.Apply(Put("/b", "x", expiration: Now + 5 * Second));
        s.Apply(Put("/a", "x", expiration: Now + 5 * Second));
        s.Apply(Put("/permanent", "x"));
        Assert.True(s.HasTtlKeys);
        Assert.Empty(s.ApplySync(Now + 5 * Second - 1));
        var expired = s.ApplySync(Now + 5 * Second);
        Assert.Equal(["/a", "/b"], expired.Select(e => e.Node.Key)); // same time: path order
        Assert.All(expired, e => Assert.Equal("expire", e.Action));
        Assert.Equal([5UL, 6UL], expired.Select(e => e.Index));
        Assert.Equal(100, Assert.Throws<V2Error>(() => s.Get("/a", false, false)).Code);
        Assert.Equal("x", s.Get("/late", false, false).Node.Value);
        Assert.Single(s.ApplySync(Now + 60 * Second));
        Assert.False(s.HasTtlKeys);
    }

    [Fact]
    public void Refresh_moves_the_expiration_keeps_the_value_and_is_hidden_from_watchers()
    {
        var s = new V2Store();
        var set = s.Apply(Put("/foo", "bar", expiration: Now + 60 * Second));
        var refreshed = s.Apply(Put("/foo", expiration: Now + 120 * Second, refresh: true, prevExist: true));
        Assert.Equal(("update", "bar", set.Index, Now + 120 * Second), (refreshed.Action, refreshed.Node.Value, refreshed.Node.CreatedIndex, refreshed.Node.Expiration));
        Assert.True(refreshed.Refresh);
        Assert.Null(s.ScanHistory("/foo", false, refreshed.Index, refreshed.Index).Event); // watchers skip refreshes
        Assert.Empty(s.ApplySync(Now + 100 * Second));
        Assert.Single(s.ApplySync(Now + 120 * Second));
        Assert.Equal(100, Refused(s, Put("/foo", expiration: Now, refresh: true)).Code); // refresh needs the key
    }

    [Fact]
    public void A_set_without_ttl_makes_a_key_permanent()
    {
        var s = new V2Store();
        s.Apply(Put("/foo", "bar", expiration: Now + Second));
        var permanent = s.Apply(Put("/foo", "baz"));
        Assert.Null(permanent.Node.Expiration);
        Assert.False(s.HasTtlKeys);
        Assert.Empty(s.ApplySync(Now + 100 * Second));
        var updated = s.Apply(Put("/foo", "x", expiration: Now + Second, prevExist: true));
        Assert.True(s.HasTtlKeys);
        s.Apply(Put("/foo", "y", prevExist: true)); // update without ttl: permanent again
        Assert.False(s.HasTtlKeys);
        _ = updated;
    }

    [Fact]
    public void Expiring_a_directory_removes_its_subtree_and_reports_every_path()
    {
        var s = new V2Store();
        s.Apply(Put("/dir", dir: true, expiration: Now + Second));
        s.Apply(Put("/dir/a", "1", expiration: Now + 50 * Second));
        s.Apply(Put("/dir/b/c", "2"));
        var e = Assert.Single(s.ApplySync(Now + 2 * Second));
        Assert.Equal(["/dir/a", "/dir/b/c", "/dir/b", "/dir"], e.DeletedPaths);
        Assert.True(e.Node.Dir);
        Assert.False(s.HasTtlKeys);
    }

    [Fact]
    public void History_answers_watches_from_an_older_index_and_refuses_one_older_than_1000_events()
    {
        var s = new V2Store();
        for (var i = 0; i < 1010; i++) s.Apply(Put("/k" + (i % 3), "v" + i));
        var found = s.ScanHistory("/k1", false, 500, s.CurrentIndex).Event!;
        Assert.True(found.Index >= 500 && found.Node.Key == "/k1");
        var cleared = Assert.Throws<V2Error>(() => s.ScanHistory("/k1", false, 5, s.CurrentIndex));
        Assert.Equal((401, "The event in requested index is outdated and cleared", "the requested history has been cleared [11/5]", 1010UL),
            (cleared.Code, cleared.Text, cleared.Cause, cleared.Index));
        Assert.Null(s.ScanHistory("/k1", false, 2000, s.CurrentIndex).Event); // a future index waits
        Assert.Equal("/k1", s.ScanHistory("/", recursive: true, 1010, s.CurrentIndex).Event!.Node.Key);
    }

    [Fact]
    public void Deleting_a_directory_is_seen_by_a_watch_of_a_key_inside_it()
    {
        var s = new V2Store();
        s.Apply(Put("/d/x", "1"));
        var deleted = s.Apply(Delete("/d", recursive: true));
        Assert.Equal(deleted.Index, s.ScanHistory("/d/x", false, deleted.Index, deleted.Index).Event!.Index);
    }

    [Fact]
    public void Very_deep_paths_work_without_recursion_limits()
    {
        var s = new V2Store();
        var path = string.Concat(Enumerable.Repeat("/d", 4000)) + "/leaf";
        s.Apply(Put(path, "deep"));
        Assert.Equal("deep", s.Get(path, false, false).Node.Value);
        var image = s.Capture();
        var copy = new V2Store();
        copy.Restore(new MemoryStream(image.ToArray()));
        Assert.Equal("deep", copy.Get(path, false, false).Node.Value);
        var gone = s.Apply(Delete("/d", recursive: true));
        Assert.Equal(4001, gone.DeletedPaths.Count);
    }

    [Fact]
    public void The_same_commands_give_the_same_state_and_a_snapshot_restores_it_exactly()
    {
        static V2Store Run()
        {
            var s = new V2Store();
            var random = new Random(7);
            for (var i = 0; i < 600; i++)
            {
                var key = "/k" + random.Next(20) + (random.Next(3) == 0 ? "/sub" + random.Next(3) : "");
                V2Write w = random.Next(6) switch
                {
                    0 => Delete(key, recursive: true),
                    1 => Post("/q", "job" + i),
                    2 => Put(key, "v" + i, expiration: Now + random.Next(1, 20) * Second),
                    3 => Put(key, "v" + i, prevValue: "v" + (i - 1)),
                    _ => Put(key, "v" + i),
                };
                try { s.Apply(w); } catch (V2Error) { }
                if (i % 50 == 0) s.ApplySync(Now + i / 50 * Second);
            }
            return s;
        }
        var a = Run();
        var b = Run();
        var imageA = a.Capture().ToArray();
        Assert.Equal(imageA, b.Capture().ToArray());
        var restored = new V2Store();
        restored.Restore(new MemoryStream(imageA));
        Assert.Equal(imageA, restored.Capture().ToArray());
        Assert.Equal(a.CurrentIndex, restored.CurrentIndex);
        Assert.Equal(a.HistoryStartIndex, restored.HistoryStartIndex);
        // The restored store goes on exactly as the original.
        Assert.Equal(a.ApplySync(Now + 100 * Second).Select(e => e.Node.Key), restored.ApplySync(Now + 100 * Second).Select(e => e.Node.Key));
    }

    [Fact]
    public void A_missing_section_is_an_empty_store_and_a_damaged_one_is_refused()
    {
        var s = new V2Store();
        s.Apply(Put("/x", "1"));
        s.Restore(new MemoryStream());
        Assert.Equal(0UL, s.CurrentIndex);
        var bytes = new V2Store().Capture().ToArray();
        bytes[^1] ^= 1;
        Assert.Throws<InvalidDataException>(() => new V2Store().Restore(new MemoryStream(bytes)));
        Assert.Throws<InvalidDataException>(() => new V2Store().Restore(new MemoryStream([1, 2, 3])));
    }

    [Fact]
    public void Write_counters_count_successes_and_failures_per_operation()
    {
        var s = new V2Store();
        s.Apply(Put("/a", "1"));
        try { s.Apply(Put("/a", "2", prevValue: "x")); } catch (V2Error) { }
        s.Apply(Post("/q", "j"));
        try { s.Get("/none", false, false); } catch (V2Error) { }
        s.Get("/a", false, false);
        Assert.Equal((1L, 0L, 0L, 1L, 1L, 1L, 1L), (s.Stats.SetsSuccess, s.Stats.SetsFail, s.Stats.CompareAndSwapSuccess, s.Stats.CompareAndSwapFail,
            s.Stats.CreateSuccess, s.Stats.GetsSuccess, s.Stats.GetsFail));
    }
}
