using System.Collections.Immutable;
using Coordinator.Protocol.Internal;
using Google.Protobuf;

namespace Coordinator.Grains.Store.Silos;

/// <summary>
/// The Orleans membership table of the member silos, replicated through the root Raft group (RaftRequest field
/// 50) and kept outside the etcd key space. Every member applies the same commands in log order, so every
/// verdict (insert/update conflicts) is the same everywhere; etags are Raft indexes, so they only grow.
/// Applied under the store's write lock; readers take <see cref="Current"/>, an immutable state published after
/// each change.
/// </summary>
public sealed class SiloTable
{
    /// <summary>Orleans' SiloStatus.Active: cleanup keeps such rows whatever their alive time.</summary>
    public const int ActiveStatus = 3;

    private static ReadOnlySpan<byte> Magic => "CSIL"u8;
    private const uint FormatVersion = 1;

    /// <summary>The table at one applied index: rows by silo address, and the table version with its etag.</summary>
    public sealed record State(ImmutableSortedDictionary<string, SiloRow> Rows, long Version, ulong VersionEtag)
    {
        public static readonly State Empty = new(ImmutableSortedDictionary<string, SiloRow>.Empty.WithComparers(StringComparer.Ordinal), 0, 0);
    }

    private volatile State _state = State.Empty;

    public State Current => _state;

    public SiloTableResponse Apply(SiloTableCommand command, ulong raftIndex)
    {
        var state = _state;
        switch (command.CommandCase)
        {
            case SiloTableCommand.CommandOneofCase.Insert:
            {
                var insert = command.Insert;
                if (insert.VersionEtag != state.VersionEtag || insert.Version != state.Version + 1 || state.Rows.ContainsKey(insert.Row.Address)) return Refused;
                _state = state with
                {
                    Rows = state.Rows.SetItem(insert.Row.Address, Stamped(insert.Row, raftIndex)),
                    Version = insert.Version,
                    VersionEtag = raftIndex,
                };
                return Done(0);
            }
            case SiloTableCommand.CommandOneofCase.Update:
            {
                var update = command.Update;
                if (update.VersionEtag != state.VersionEtag || update.Version != state.Version + 1 || !state.Rows.TryGetValue(update.Row.Address, out var old) || old.Etag != update.RowEtag)
                    return Refused;
                _state = state with
                {
                    Rows = state.Rows.SetItem(update.Row.Address, Stamped(update.Row, raftIndex)),
                    Version = update.Version,
                    VersionEtag = raftIndex,
                };
                return Done(0);
            }
            case SiloTableCommand.CommandOneofCase.Alive:
            {
                if (!state.Rows.TryGetValue(command.Alive.Address, out var row)) return Refused;
                var alive = row.Clone();
                alive.AliveTicks = command.Alive.AliveTicks;
                _state = state with { Rows = state.Rows.SetItem(row.Address, alive) };
                return Done(0);
            }
            case SiloTableCommand.CommandOneofCase.Clear:
                _state = state with { Rows = state.Rows.Clear() };
                return Done((uint)state.Rows.Count);
            case SiloTableCommand.CommandOneofCase.Cleanup:
            {
                var defunct = state.Rows.Values
                    .Where(r => r.Status != ActiveStatus && r.AliveTicks < command.Cleanup.BeforeTicks)
                    .Select(r => r.Address).ToList();
                if (defunct.Count > 0) _state = state with { Rows = state.Rows.RemoveRange(defunct) };
                return Done((uint)defunct.Count);
            }
            default:
                return Refused;
        }
    }

    private static SiloTableResponse Refused => new() { Ok = false };

    private static SiloTableResponse Done(uint removed) => new() { Ok = true, Removed = removed };

    private static SiloRow Stamped(SiloRow row, ulong raftIndex)
    {
        var stamped = row.Clone();
        stamped.Etag = raftIndex;
        return stamped;
    }

    /// <summary>The current table's section of a state-machine snapshot.</summary>
    public byte[] Encode() => Encode(_state);

    /// <summary>A table state's section of a state-machine snapshot (see <see cref="SnapshotSection"/>): the state
    /// is immutable, so this may run on any thread after the state was taken.</summary>
    public static byte[] Encode(State state)
    {
        var image = new SiloTableImage { Version = state.Version, VersionEtag = state.VersionEtag };
        image.Rows.AddRange(state.Rows.Values);
        return SnapshotSection.Encode(Magic, FormatVersion, image.ToByteArray());
    }

    /// <summary>Reads the section written by <see cref="Encode"/>; a snapshot from before the table ends before
    /// it and restores an empty table.</summary>
    public void Restore(Stream source)
    {
        var body = SnapshotSection.Read(source, Magic, FormatVersion, "silo table");
        if (body is null)
        {
            _state = State.Empty;
            return;
        }
        var image = SiloTableImage.Parser.ParseFrom(body);
        _state = new State(State.Empty.Rows.SetItems(image.Rows.Select(r => KeyValuePair.Create(r.Address, r))), image.Version, image.VersionEtag);
    }
}
