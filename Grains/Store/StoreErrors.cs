namespace Coordinator.Grains.Store;

/// <summary>
/// etcd 3.4's client-visible errors (codes and texts as etcd's v3rpc layer maps them).
/// Each call returns a fresh exception so stack traces stay truthful.
/// </summary>
public static class StoreErrors
{
    public const string EmptyKeyText = "etcdserver: key is not provided";
    public const string KeyNotFoundText = "etcdserver: key not found";
    public const string ValueProvidedText = "etcdserver: value is provided";
    public const string LeaseProvidedText = "etcdserver: lease is provided";
    public const string TooManyOpsText = "etcdserver: too many operations in txn request";
    public const string DuplicateKeyText = "etcdserver: duplicate key given in txn request";
    public const string CompactedText = "etcdserver: mvcc: required revision has been compacted";
    public const string FutureRevisionText = "etcdserver: mvcc: required revision is a future revision";
    public const string LeaseNotFoundText = "etcdserver: requested lease not found";
    public const string LeaseExistsText = "etcdserver: lease already exists";
    public const string LeaseTtlTooLargeText = "etcdserver: too large lease TTL";
    public const string RequestTooLargeText = "etcdserver: request is too large";
    public const string TooManyRequestsText = "etcdserver: too many requests";
    public const string NoSpaceText = "etcdserver: mvcc: database space exceeded";

    public static StoreException EmptyKey() => new(StatusCode.InvalidArgument, EmptyKeyText);
    public static StoreException KeyNotFound() => new(StatusCode.InvalidArgument, KeyNotFoundText);
    public static StoreException ValueProvided() => new(StatusCode.InvalidArgument, ValueProvidedText);
    public static StoreException LeaseProvided() => new(StatusCode.InvalidArgument, LeaseProvidedText);
    public static StoreException TooManyOps() => new(StatusCode.InvalidArgument, TooManyOpsText);
    public static StoreException DuplicateKey() => new(StatusCode.InvalidArgument, DuplicateKeyText);
    public static StoreException Compacted() => new(StatusCode.OutOfRange, CompactedText);
    public static StoreException FutureRevision() => new(StatusCode.OutOfRange, FutureRevisionText);
    public static StoreException LeaseNotFound() => new(StatusCode.NotFound, LeaseNotFoundText);
    public static StoreException LeaseExists() => new(StatusCode.FailedPrecondition, LeaseExistsText);
    public static StoreException LeaseTtlTooLarge() => new(StatusCode.OutOfRange, LeaseTtlTooLargeText);

    /// <summary>etcd maps an oversized proposal to InvalidArgument (gRPC's own receive limit is ResourceExhausted).</summary>
    public static StoreException RequestTooLarge() => new(StatusCode.InvalidArgument, RequestTooLargeText);

    /// <summary>For the host: applied index lags too far behind committed.</summary>
    public static StoreException TooManyRequests() => new(StatusCode.ResourceExhausted, TooManyRequestsText);
    public static StoreException NoSpace() => new(StatusCode.ResourceExhausted, NoSpaceText);
}
