namespace Coordinator.Grains.Store;

/// <summary>
/// One change of one key. A tombstone (delete) has <see cref="Version"/> 0 and no value.
/// Value arrays are owned by the store and never mutated after being stored.
/// </summary>
internal struct KeyRecord
{
    public long Main;
    public long CreateRevision;
    public long Version;
    public long Lease;
    public byte[]? Value;
    public int Sub;

    public readonly bool IsTombstone => Version == 0;
    public readonly Revision Revision => new(Main, Sub);

    public static KeyRecord Tombstone(Revision at) => new() { Main = at.Main, Sub = at.Sub };
}
