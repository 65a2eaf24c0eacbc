namespace Coordinator.Grains.Store;

/// <summary>
/// Sorted index of all key histories: a B+ tree ordered by unsigned key bytes, leaves linked
/// left to right. Removal does not rebalance; empty or sparse leaves are reclaimed by
/// <see cref="Rebuild"/>, which callers run after compactions. Not thread-safe: the store's lock owns it.
/// </summary>
internal sealed class KeyIndex
{
    internal const int LeafCapacity = 64;
    internal const int BranchCapacity = 64;

    private Node _root = new Leaf();
    private int _leafCount = 1;

    /// <summary>Number of key histories held.</summary>
    public int Count { get; private set; }

    public KeyHistory? Find(ReadOnlySpan<byte> key)
    {
        var leaf = DescendToLeaf(key);
        var i = leaf.Search(key);
        return i >= 0 ? leaf.Items[i] : null;
    }

    /// <summary>Returns the history of <paramref name="key"/>, creating it (and taking ownership of the array) if absent.</summary>
    public KeyHistory GetOrAdd(byte[] key)
    {
        var history = Insert(_root, key, out var right, out var separator);
        if (right is not null)
        {
            var branch = new Branch();
            branch.Children[0] = _root;
            branch.Children[1] = right;
            branch.Keys[0] = separator!;
            branch.Count = 2;
            _root = branch;
        }
        return history;
    }

    public bool Remove(ReadOnlySpan<byte> key)
    {
        var leaf = DescendToLeaf(key);
        var i = leaf.Search(key);
        if (i < 0) return false;
        Array.Copy(leaf.Items, i + 1, leaf.Items, i, leaf.Count - i - 1);
        leaf.Items[--leaf.Count] = null!;
        Count--;
        return true;
    }

    /// <summary>A cursor at the first key &gt;= <paramref name="lowerBound"/>.</summary>
    public Cursor Seek(ReadOnlySpan<byte> lowerBound)
    {
        var leaf = DescendToLeaf(lowerBound);
        var i = leaf.Search(lowerBound);
        return new Cursor(leaf, i >= 0 ? i : ~i);
    }

    public Cursor First()
    {
        var node = _root;
        while (node is Branch b) node = b.Children[0];
        return new Cursor((Leaf)node, 0);
    }

    public IEnumerable<KeyHistory> All()
    {
        var cursor = First();
        while (cursor.TryNext(out var history)) yield return history;
    }

    /// <summary>True when removals left the leaves less than half full on average.</summary>
    public bool IsSparse => _leafCount > 1 && Count < _leafCount * (LeafCapacity / 2);

    /// <summary>Rebuilds the tree densely from its current contents.</summary>
    public void Rebuild() => Load(All().ToArray());

    /// <summary>Replaces the contents with <paramref name="sorted"/> (strictly ascending by key).</summary>
    public void Load(IReadOnlyList<KeyHistory> sorted)
    {
        const int fill = LeafCapacity * 7 / 8; // leave room so the next inserts rarely split
        var level = new List<(Node Node, byte[]? MinKey)>();
        Leaf? previous = null;
        for (var start = 0; start < sorted.Count || level.Count == 0; start += fill)
        {
            var leaf = new Leaf();
            var n = Math.Min(fill, sorted.Count - start);
            for (var j = 0; j < n; j++) leaf.Items[j] = sorted[start + j];
            leaf.Count = n;
            if (previous is not null) previous.Next = leaf;
            previous = leaf;
            level.Add((leaf, n > 0 ? leaf.Items[0].Key : null));
        }
        _leafCount = level.Count;
        Count = sorted.Count;

        while (level.Count > 1)
        {
            var next = new List<(Node, byte[]?)>();
            for (var start = 0; start < level.Count; start += BranchCapacity)
            {
                var n = Math.Min(BranchCapacity, level.Count - start);
                var branch = new Branch();
                for (var j = 0; j < n; j++)
                {
                    branch.Children[j] = level[start + j].Node;
                    if (j > 0) branch.Keys[j - 1] = level[start + j].MinKey!;
                }
                branch.Count = n;
                next.Add((branch, level[start].MinKey));
            }
            level = next;
        }
        _root = level[0].Node;
    }

    private Leaf DescendToLeaf(ReadOnlySpan<byte> key)
    {
        var node = _root;
        while (node is Branch b) node = b.Children[b.ChildIndex(key)];
        return (Leaf)node;
    }

    private KeyHistory Insert(Node node, byte[] key, out Node? splitRight, out byte[]? splitKey)
    {
        splitRight = null;
        splitKey = null;
        if (node is Leaf leaf)
        {
            var i = leaf.Search(key);
            if (i >= 0) return leaf.Items[i];
            i = ~i;
            var history = new KeyHistory(key);
            Array.Copy(leaf.Items, i, leaf.Items, i + 1, leaf.Count - i);
            leaf.Items[i] = history;
            leaf.Count++;
            Count++;
            if (leaf.Count > LeafCapacity)
            {
                // Appending at the far right (ascending loads) keeps the left leaf full.
                var keepLeft = i == leaf.Count - 1 && leaf.Next is null ? leaf.Count - 1 : leaf.Count / 2;
                var right = new Leaf();
                var moved = leaf.Count - keepLeft;
                Array.Copy(leaf.Items, keepLeft, right.Items, 0, moved);
                Array.Clear(leaf.Items, keepLeft, moved);
                right.Count = moved;
                leaf.Count = keepLeft;
                right.Next = leaf.Next;
                leaf.Next = right;
                _leafCount++;
                splitRight = right;
                splitKey = right.Items[0].Key;
            }
            return history;
        }

        var branch = (Branch)node;
        var c = branch.ChildIndex(key);
        var result = Insert(branch.Children[c], key, out var childRight, out var childKey);
        if (childRight is null) return result;

        Array.Copy(branch.Keys, c, branch.Keys, c + 1, branch.Count - 1 - c);
        Array.Copy(branch.Children, c + 1, branch.Children, c + 2, branch.Count - 1 - c);
        branch.Keys[c] = childKey!;
        branch.Children[c + 1] = childRight;
        branch.Count++;
        if (branch.Count > BranchCapacity)
        {
            var keepLeft = branch.Count / 2;
            var right = new Branch();
            var moved = branch.Count - keepLeft;
            Array.Copy(branch.Children, keepLeft, right.Children, 0, moved);
            Array.Copy(branch.Keys, keepLeft, right.Keys, 0, moved - 1);
            splitKey = branch.Keys[keepLeft - 1];
            Array.Clear(branch.Children, keepLeft, moved);
            Array.Clear(branch.Keys, keepLeft - 1, moved);
            right.Count = moved;
            branch.Count = keepLeft;
            splitRight = right;
        }
        return result;
    }

    /// <summary>Forward iterator over leaves; skips leaves emptied by removals.</summary>
    internal struct Cursor(KeyIndex.Leaf? leaf, int index)
    {
        private Leaf? _leaf = leaf;
        private int _index = index;

        public bool TryNext(out KeyHistory history)
        {
            while (_leaf is not null)
            {
                if (_index < _leaf.Count)
                {
                    history = _leaf.Items[_index++];
                    return true;
                }
                _leaf = _leaf.Next;
                _index = 0;
            }
            history = null!;
            return false;
        }
    }

    internal abstract class Node;

    internal sealed class Leaf : Node
    {
        // One slot of slack so an insert can land before the split.
        public readonly KeyHistory[] Items = new KeyHistory[LeafCapacity + 1];
        public int Count;
        public Leaf? Next;

        /// <summary>Binary search by key: index if found, else the complement of the insertion point.</summary>
        public int Search(ReadOnlySpan<byte> key)
        {
            int lo = 0, hi = Count - 1;
            while (lo <= hi)
            {
                var mid = (lo + hi) >>> 1;
                var c = ByteKeyComparer.CompareKeys(Items[mid].Key, key);
                if (c == 0) return mid;
                if (c < 0) lo = mid + 1;
                else hi = mid - 1;
            }
            return ~lo;
        }
    }

    /// <summary>Keys[i] is the smallest key of Children[i + 1] at the time it was separated.</summary>
    internal sealed class Branch : Node
    {
        public readonly byte[][] Keys = new byte[BranchCapacity][];
        public readonly Node[] Children = new Node[BranchCapacity + 1];
        public int Count; // number of children

        /// <summary>The child whose key span holds <paramref name="key"/>: count of separators &lt;= key.</summary>
        public int ChildIndex(ReadOnlySpan<byte> key)
        {
            int lo = 0, hi = Count - 2;
            while (lo <= hi)
            {
                var mid = (lo + hi) >>> 1;
                if (ByteKeyComparer.CompareKeys(Keys[mid], key) <= 0) lo = mid + 1;
                else hi = mid - 1;
            }
            return lo;
        }
    }
}
