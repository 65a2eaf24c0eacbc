using Coordinator.Grains.Store.V2;

namespace Coordinator.Gateway.Http.V2;

/// <summary>
/// The member's v2 watchers (etcd's watcherHub), fed with every applied v2 event. A watch first scans the
/// store's history up to the last event the hub has published, then registers, both under the hub's lock, so an
/// event is neither missed nor delivered twice. Thread-safe.
/// </summary>
public sealed class V2WatcherHub : IDisposable
{
    private readonly object _gate = new();
    private readonly Dictionary<string, LinkedList<V2Watcher>> _watchers = new(StringComparer.Ordinal);
    private readonly V2Store _store;
    private readonly IDisposable _subscription;
    private ulong _published; // guarded by _gate: index of the last event handed to watchers
    private long _count;

    public V2WatcherHub(IV2Node node)
    {
        _store = node.V2Store;
        lock (_gate)
        {
            _subscription = node.SubscribeV2(OnApplied);
            _published = Math.Max(_published, _store.CurrentIndex);
        }
    }

    /// <summary>Watchers currently registered (etcd's "watchers" in /v2/stats/store).</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>Starts a watch; a matching event already in the history is delivered at once (and, as in etcd, the
    /// watcher then gets nothing else). Throws 401 when <paramref name="sinceIndex"/> is older than the history.</summary>
    public V2Watcher Watch(string key, bool recursive, bool stream, ulong sinceIndex)
    {
        lock (_gate)
        {
            var clean = V2Path.Clean(key);
            var (found, storeIndex, since) = _store.ScanHistory(clean, recursive, sinceIndex, _published);
            var watcher = new V2Watcher(this, clean, recursive, stream, since, storeIndex);
            if (found is not null)
            {
                watcher.Removed = true;
                watcher.Post(found);
                return watcher;
            }
            if (!_watchers.TryGetValue(clean, out var list)) _watchers[clean] = list = new LinkedList<V2Watcher>();
            list.AddLast(watcher);
            _count++;
            return watcher;
        }
    }

    internal void Remove(V2Watcher watcher)
    {
        lock (_gate) RemoveLocked(watcher);
    }

    private void RemoveLocked(V2Watcher watcher)
    {
        if (watcher.Removed) return;
        watcher.Removed = true;
        if (_watchers.TryGetValue(watcher.Key, out var list))
        {
            list.Remove(watcher);
            if (list.Count == 0) _watchers.Remove(watcher.Key);
        }
        _count--;
    }

    /// <summary>Apply thread: hands events to the watchers of their paths (etcd's notify and the delete
    /// callbacks); after a snapshot restore, watches continue from the restored index.</summary>
    private void OnApplied(IReadOnlyList<V2Event> events, bool restored)
    {
        lock (_gate)
        {
            if (restored)
            {
                _published = _store.CurrentIndex;
                return;
            }
            foreach (var e in events)
            {
                if (e.Index <= _published) continue;
                _published = e.Index;
                if (e.Refresh) continue;
                foreach (var path in e.DeletedPaths) NotifyWatchers(e, path, deleted: true);
                var current = "/";
                NotifyWatchers(e, current, deleted: false);
                foreach (var name in V2Path.Elements(e.Node.Key.Length == 0 ? "/" : e.Node.Key))
                {
                    current = V2Path.Join(current, name);
                    NotifyWatchers(e, current, deleted: false);
                }
            }
        }
    }

    private void NotifyWatchers(V2Event e, string path, bool deleted)
    {
        if (!_watchers.TryGetValue(path, out var list)) return;
        var original = e.Node.Key == path;
        for (var node = list.First; node is not null;)
        {
            var next = node.Next;
            var watcher = node.Value;
            if ((original || !IsHidden(path, e.Node.Key)) && watcher.Notify(e, original, deleted) && !watcher.Stream)
            {
                RemoveLocked(watcher);
                watcher.Close();
            }
            node = next;
        }
    }

    /// <summary>etcd's isHidden: the changed key is below a '_' element under the watched path.</summary>
    private static bool IsHidden(string watchPath, string keyPath)
    {
        if (watchPath.Length > keyPath.Length) return false;
        var after = V2Path.Clean("/" + keyPath[watchPath.Length..]);
        return after.Contains("/_", StringComparison.Ordinal);
    }

    public void Dispose() => _subscription.Dispose();
}
