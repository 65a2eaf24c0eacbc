using Coordinator.Protocol.Internal;

namespace Coordinator.Grains.Store.V2;

public sealed partial class V2Store
{
    /// <summary>
    /// Applies one committed v2 write, choosing the operation as etcd's v2 applier does: DELETE with prevValue or
    /// prevIndex is compareAndDelete, else delete; POST is an in-order create; PUT with prevExist=true is update
    /// (compareAndSwap with a prev condition), prevExist=false create, a prev condition alone compareAndSwap,
    /// else set. Throws <see cref="V2Error"/> with nothing changed.
    /// </summary>
    public V2Event Apply(V2Write write) => Write(() =>
    {
        var expiration = write.Expiration;
        switch (write.Method)
        {
            case "DELETE" when write.PrevIndex > 0 || write.PrevValue.Length > 0:
                return Counted(() => CompareAndDelete(write.Path, write.PrevValue, write.PrevIndex),
                    ref Stats.compareAndDeleteSuccess, ref Stats.compareAndDeleteFail);
            case "DELETE":
                return Counted(() => Delete(write.Path, write.Dir, write.Recursive), ref Stats.deleteSuccess, ref Stats.deleteFail);
            case "POST":
                return Counted(() => Create(write.Path, write.Dir, write.Value, unique: true, expiration), ref Stats.createSuccess, ref Stats.createFail);
            case "PUT" when write.HasPrevExist && write.PrevExist && write.PrevIndex == 0 && write.PrevValue.Length == 0:
                return Counted(() => Update(write.Path, write.Value, expiration, write.Refresh), ref Stats.updateSuccess, ref Stats.updateFail);
            case "PUT" when write.HasPrevExist && !write.PrevExist:
                return Counted(() => Create(write.Path, write.Dir, write.Value, unique: false, expiration), ref Stats.createSuccess, ref Stats.createFail);
            case "PUT" when (write.HasPrevExist && write.PrevExist) || write.PrevIndex > 0 || write.PrevValue.Length > 0:
                return Counted(() => CompareAndSwap(write.Path, write.PrevValue, write.PrevIndex, write.Value, expiration, write.Refresh),
                    ref Stats.compareAndSwapSuccess, ref Stats.compareAndSwapFail);
            case "PUT":
                return Counted(() => Set(write.Path, write.Dir, write.Value, expiration, write.Refresh), ref Stats.setsSuccess, ref Stats.setsFail);
            default:
                throw new V2Error(V2ErrorCode.RaftInternal, "etcdserver: unknown method", 0);
        }
    });

    /// <summary>Applies a sync: every node expiring at or before <paramref name="time"/> (Unix ns, the leader's
    /// clock) is removed, earliest first, each with its own index and "expire" event.</summary>
    public IReadOnlyList<V2Event> ApplySync(long time) => Write<IReadOnlyList<V2Event>>(() =>
    {
        List<V2Event>? events = null;
        while (_expiry.Peek() is { } node && node.Expiration <= time)
        {
            _index++;
            var prev = node.View(false, false);
            var deleted = new List<string>();
            Remove(node, dir: true, recursive: true, deleted);
            var e = new V2Event
            {
                Action = V2Actions.Expire,
                Node = new V2NodeView { Key = node.Path, Dir = node.IsDir, ModifiedIndex = _index, CreatedIndex = node.CreatedIndex },
                PrevNode = prev,
                EtcdIndex = _index,
                DeletedPaths = deleted,
            };
            Interlocked.Increment(ref Stats.expireCount);
            _history.Add(e);
            (events ??= []).Add(e);
        }
        return events ?? (IReadOnlyList<V2Event>)[];
    });

    private static V2Event Counted(Func<V2Event> operation, ref long success, ref long fail)
    {
        try
        {
            var e = operation();
            Interlocked.Increment(ref success);
            return e;
        }
        catch (V2Error)
        {
            Interlocked.Increment(ref fail);
            throw;
        }
    }

    private V2Event Set(string path, bool dir, string value, long expiration, bool refresh)
    {
        var clean = V2Path.Clean(path);
        var existing = TryFind(clean, out var missing);
        if (missing is not null && missing.Code != V2ErrorCode.KeyNotFound) throw missing;
        if (refresh)
        {
            if (missing is not null) throw missing;
            value = existing!.Value;
        }
        var e = Create(clean, dir, value, unique: false, expiration, replace: true, V2Actions.Set);
        return Record(e with { Refresh = refresh });
    }

    private V2Event Create(string path, bool dir, string value, bool unique, long expiration) =>
        Record(Create(path, dir, value, unique, expiration, replace: false, V2Actions.Create));

    /// <summary>etcd's internalCreate: makes missing parent directories, refuses to replace a directory.</summary>
    private V2Event Create(string path, bool dir, string value, bool unique, long expiration, bool replace, string action)
    {
        var next = _index + 1;
        if (unique) path += "/" + next.ToString("D20");
        var clean = V2Path.Clean(path);
        if (clean == "/") throw new V2Error(V2ErrorCode.RootReadOnly, "/", _index);
        if (expiration < MinExpiration) expiration = 0;

        var parent = MakeParents(V2Path.Parent(clean), next);
        var name = V2Path.Name(clean);
        V2NodeView? prev = null;
        if (parent.Children!.TryGetValue(name, out var existing))
        {
            if (!replace) throw new V2Error(V2ErrorCode.NodeExist, clean, _index);
            if (existing.IsDir) throw new V2Error(V2ErrorCode.NotFile, clean, _index);
            prev = existing.View(false, false);
            Remove(existing, dir: false, recursive: false, deleted: null);
        }
        var node = new V2Node(clean, next, parent, expiration, dir ? null : value);
        parent.Children[name] = node;
        _expiry.Add(node);
        _index = next;
        return new V2Event
        {
            Action = action,
            Node = new V2NodeView
            {
                Key = clean, Value = dir ? null : value, Dir = dir, Expiration = node.IsPermanent ? null : expiration,
                ModifiedIndex = next, CreatedIndex = next,
            },
            PrevNode = prev,
            EtcdIndex = next,
        };
    }

    /// <summary>Walks to the directory <paramref name="dirPath"/>, creating missing directories at
    /// <paramref name="index"/>; NotDir when a file is in the way (checked before anything is created).</summary>
    private V2Node MakeParents(string dirPath, ulong index)
    {
        var node = _root;
        foreach (var name in V2Path.Elements(dirPath))
        {
            if (!node.Children!.TryGetValue(name, out var child)) break;
            if (!child.IsDir) throw new V2Error(V2ErrorCode.NotDir, child.Path, _index);
            node = child;
        }
        node = _root;
        foreach (var name in V2Path.Elements(dirPath))
        {
            if (!node.Children!.TryGetValue(name, out var child))
            {
                child = new V2Node(V2Path.Join(node.Path, name), index, node, 0, null);
                node.Children[name] = child;
            }
            node = child;
        }
        return node;
    }

    private V2Event CompareAndSwap(string path, string prevValue, ulong prevIndex, string value, long expiration, bool refresh)
    {
        var clean = V2Path.Clean(path);
        if (clean == "/") throw new V2Error(V2ErrorCode.RootReadOnly, "/", _index);
        var node = Find(clean);
        if (node.IsDir) throw new V2Error(V2ErrorCode.NotFile, clean, _index);
        CheckCompare(node, prevValue, prevIndex);
        if (refresh) value = node.Value;
        _index++;
        var prev = node.View(false, false);
        node.Value = value;
        node.ModifiedIndex = _index;
        UpdateExpiration(node, expiration);
        return Record(new V2Event
        {
            Action = V2Actions.CompareAndSwap,
            Node = new V2NodeView { Key = clean, Value = value, Expiration = ExpirationOf(node), ModifiedIndex = _index, CreatedIndex = node.CreatedIndex },
            PrevNode = prev,
            EtcdIndex = _index,
            Refresh = refresh,
        });
    }

    private V2Event Update(string path, string value, long expiration, bool refresh)
    {
        var clean = V2Path.Clean(path);
        if (clean == "/") throw new V2Error(V2ErrorCode.RootReadOnly, "/", _index);
        var node = Find(clean);
        if (node.IsDir && value.Length != 0) throw new V2Error(V2ErrorCode.NotFile, clean, _index);
        if (refresh) value = node.Value;
        var next = _index + 1;
        var prev = node.View(false, false);
        // As etcd: a directory keeps its modifiedIndex (its Write fails and is ignored), the event still has the new index.
        if (!node.IsDir)
        {
            node.Value = value;
            node.ModifiedIndex = next;
        }
        UpdateExpiration(node, expiration);
        _index = next;
        return Record(new V2Event
        {
            Action = V2Actions.Update,
            Node = new V2NodeView
            {
                Key = clean, Dir = node.IsDir, Value = node.IsDir ? null : value, Expiration = ExpirationOf(node),
                ModifiedIndex = next, CreatedIndex = node.CreatedIndex,
            },
            PrevNode = prev,
            EtcdIndex = next,
            Refresh = refresh,
        });
    }

    private V2Event Delete(string path, bool dir, bool recursive)
    {
        var clean = V2Path.Clean(path);
        if (clean == "/") throw new V2Error(V2ErrorCode.RootReadOnly, "/", _index);
        if (recursive) dir = true;
        var node = Find(clean);
        var next = _index + 1;
        var prev = node.View(false, false);
        if (node.IsDir && !dir) throw new V2Error(V2ErrorCode.NotFile, node.Path, _index);
        if (node.IsDir && node.Children!.Count > 0 && !recursive) throw new V2Error(V2ErrorCode.DirNotEmpty, node.Path, _index);
        var deleted = new List<string>();
        Remove(node, dir, recursive, deleted);
        _index = next;
        return Record(new V2Event
        {
            Action = V2Actions.Delete,
            Node = new V2NodeView { Key = clean, Dir = node.IsDir, ModifiedIndex = next, CreatedIndex = node.CreatedIndex },
            PrevNode = prev,
            EtcdIndex = next,
            DeletedPaths = deleted,
        });
    }

    private V2Event CompareAndDelete(string path, string prevValue, ulong prevIndex)
    {
        var clean = V2Path.Clean(path);
        var node = Find(clean);
        if (node.IsDir) throw new V2Error(V2ErrorCode.NotFile, V2Node.KeyOf(clean), _index);
        CheckCompare(node, prevValue, prevIndex);
        _index++;
        var prev = node.View(false, false);
        var deleted = new List<string>();
        Remove(node, dir: false, recursive: false, deleted);
        return Record(new V2Event
        {
            Action = V2Actions.CompareAndDelete,
            Node = new V2NodeView { Key = clean, ModifiedIndex = _index, CreatedIndex = node.CreatedIndex },
            PrevNode = prev,
            EtcdIndex = _index,
            DeletedPaths = deleted,
        });
    }

    private void CheckCompare(V2Node node, string prevValue, ulong prevIndex)
    {
        var indexMatch = prevIndex == 0 || node.ModifiedIndex == prevIndex;
        var valueMatch = prevValue.Length == 0 || node.Value == prevValue;
        if (indexMatch && valueMatch) return;
        var cause = (indexMatch, valueMatch) switch
        {
            (false, true) => $"[{prevIndex} != {node.ModifiedIndex}]",
            (true, false) => $"[{prevValue} != {node.Value}]",
            _ => $"[{prevValue} != {node.Value}] [{prevIndex} != {node.ModifiedIndex}]",
        };
        throw new V2Error(V2ErrorCode.TestFailed, cause, _index);
    }

    /// <summary>Removes a node (a directory with its subtree, children first in name order) from the tree and the
    /// expiry queue; appends each removed path to <paramref name="deleted"/>. Callers check dir/recursive first.</summary>
    private void Remove(V2Node node, bool dir, bool recursive, List<string>? deleted)
    {
        // Iterative post-order walk: paths may be thousands of levels deep.
        var stack = new Stack<(V2Node Node, bool ChildrenDone)>();
        stack.Push((node, false));
        while (stack.Count > 0)
        {
            var (current, childrenDone) = stack.Pop();
            if (current.IsDir && !childrenDone)
            {
                stack.Push((current, true));
                foreach (var child in current.Children!.Values.Reverse()) stack.Push((child, false));
                continue;
            }
            if (current.Parent is { } parent && parent.Children!.TryGetValue(current.Name, out var same) && ReferenceEquals(same, current))
                parent.Children.Remove(current.Name);
            deleted?.Add(current.Path);
            _expiry.Remove(current);
        }
        if (node.IsDir) node.Children!.Clear();
    }

    private void UpdateExpiration(V2Node node, long expiration)
    {
        _expiry.Remove(node);
        node.Expiration = expiration;
        _expiry.Add(node);
    }

    private static long? ExpirationOf(V2Node node) => node.IsPermanent ? null : node.Expiration;

    /// <summary>Every change enters the history (refreshes too: watchers skip them).</summary>
    private V2Event Record(V2Event e)
    {
        _history.Add(e);
        return e;
    }
}
