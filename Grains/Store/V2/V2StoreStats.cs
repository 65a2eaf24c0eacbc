namespace Coordinator.Grains.Store.V2;

/// <summary>etcd's v2 store counters (/v2/stats/store). Writes are counted when applied (so every member
/// counts the same), gets where they are served. Thread-safe.</summary>
public sealed class V2StoreStats
{
    internal long getsSuccess, getsFail, setsSuccess, setsFail, deleteSuccess, deleteFail, updateSuccess, updateFail,
        createSuccess, createFail, compareAndSwapSuccess, compareAndSwapFail, compareAndDeleteSuccess, compareAndDeleteFail, expireCount;

    public long GetsSuccess => Interlocked.Read(ref getsSuccess);
    public long GetsFail => Interlocked.Read(ref getsFail);
    public long SetsSuccess => Interlocked.Read(ref setsSuccess);
    public long SetsFail => Interlocked.Read(ref setsFail);
    public long DeleteSuccess => Interlocked.Read(ref deleteSuccess);
    public long DeleteFail => Interlocked.Read(ref deleteFail);
    public long UpdateSuccess => Interlocked.Read(ref updateSuccess);
    public long UpdateFail => Interlocked.Read(ref updateFail);
    public long CreateSuccess => Interlocked.Read(ref createSuccess);
    public long CreateFail => Interlocked.Read(ref createFail);
    public long CompareAndSwapSuccess => Interlocked.Read(ref compareAndSwapSuccess);
    public long CompareAndSwapFail => Interlocked.Read(ref compareAndSwapFail);
    public long CompareAndDeleteSuccess => Interlocked.Read(ref compareAndDeleteSuccess);
    public long CompareAndDeleteFail => Interlocked.Read(ref compareAndDeleteFail);
    public long ExpireCount => Interlocked.Read(ref expireCount);

    internal long[] ToArray() =>
    [
        GetsSuccess, GetsFail, SetsSuccess, SetsFail, DeleteSuccess, DeleteFail, UpdateSuccess, UpdateFail,
        CreateSuccess, CreateFail, CompareAndSwapSuccess, CompareAndSwapFail, CompareAndDeleteSuccess, CompareAndDeleteFail, ExpireCount,
    ];

    internal void Load(long[] values)
    {
        if (values.Length != 15) return;
        (getsSuccess, getsFail, setsSuccess, setsFail, deleteSuccess, deleteFail, updateSuccess, updateFail) =
            (values[0], values[1], values[2], values[3], values[4], values[5], values[6], values[7]);
        (createSuccess, createFail, compareAndSwapSuccess, compareAndSwapFail, compareAndDeleteSuccess, compareAndDeleteFail, expireCount) =
            (values[8], values[9], values[10], values[11], values[12], values[13], values[14]);
    }
}
