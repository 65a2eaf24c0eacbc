namespace Coordinator.Grains.Store.V2;

/// <summary>The "action" of a v2 event, as etcd names it.</summary>
public static class V2Actions
{
    public const string Get = "get";
    public const string Create = "create";
    public const string Set = "set";
    public const string Update = "update";
    public const string Delete = "delete";
    public const string CompareAndSwap = "compareAndSwap";
    public const string CompareAndDelete = "compareAndDelete";
    public const string Expire = "expire";
}
