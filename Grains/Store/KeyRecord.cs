namespace Coordinator.Grains.Store;

/// <summary>
/// One change of one key. A tombstone (delete) has <see cref="Version"/> 0 and no value.
/// The value's bytes live in the store's <see cref="ValueArena"/>; the record owns its <see cref="ValueRef"/>.
/// Holds no object reference (see <see cref="ValueArena"/> for why).
/// </summary>
internal struct KeyRecord
{
    public long Main;
    public long CreateRevision;
    public long Version;
    public long Lease;
    public ValueRef Value;
    public int Sub;

    public readonly bool IsTombstone => Version == 0;
    public readonly Revision Revision => new(Main, Sub);

    public static KeyRecord Tombstone(Revision at) => new() { Main = at.Main, Sub = at.Sub };
}
