namespace Coordinator.Grains.Store.V2;

/// <summary>etcd's v2 error codes (etcdserver/api/v2error): the number clients switch on.</summary>
public static class V2ErrorCode
{
    public const int KeyNotFound = 100;
    public const int TestFailed = 101;
    public const int NotFile = 102;
    public const int NoMorePeer = 103;
    public const int NotDir = 104;
    public const int NodeExist = 105;
    public const int KeyIsPreserved = 106;
    public const int RootReadOnly = 107;
    public const int DirNotEmpty = 108;
    public const int ExistingPeerAddr = 109;
    public const int Unauthorized = 110;

    public const int ValueRequired = 200;
    public const int PrevValueRequired = 201;
    public const int TtlNaN = 202;
    public const int IndexNaN = 203;
    public const int ValueOrTtlRequired = 204;
    public const int TimeoutNaN = 205;
    public const int NameRequired = 206;
    public const int IndexOrValueRequired = 207;
    public const int IndexValueMutex = 208;
    public const int InvalidField = 209;
    public const int InvalidForm = 210;
    public const int RefreshValue = 211;
    public const int RefreshTtlRequired = 212;

    public const int RaftInternal = 300;
    public const int LeaderElect = 301;

    public const int WatcherCleared = 400;
    public const int EventIndexCleared = 401;
    public const int StandbyInternal = 402;
    public const int InvalidActiveSize = 403;
    public const int InvalidRemoveDelay = 404;

    public const int ClientInternal = 500;

    /// <summary>etcd's message for each code (exact texts; clients print them).</summary>
    public static string Message(int code) => code switch
    {
        KeyNotFound => "Key not found",
        TestFailed => "Compare failed",
        NotFile => "Not a file",
        NoMorePeer => "Reached the max number of peers in the cluster",
        NotDir => "Not a directory",
        NodeExist => "Key already exists",
        KeyIsPreserved => "The prefix of given key is a keyword in etcd",
        RootReadOnly => "Root is read only",
        DirNotEmpty => "Directory not empty",
        ExistingPeerAddr => "Peer address has existed",
        Unauthorized => "The request requires user authentication",
        ValueRequired => "Value is Required in POST form",
        PrevValueRequired => "PrevValue is Required in POST form",
        TtlNaN => "The given TTL in POST form is not a number",
        IndexNaN => "The given index in POST form is not a number",
        ValueOrTtlRequired => "Value or TTL is required in POST form",
        TimeoutNaN => "The given timeout in POST form is not a number",
        NameRequired => "Name is required in POST form",
        IndexOrValueRequired => "Index or value is required",
        IndexValueMutex => "Index and value cannot both be specified",
        InvalidField => "Invalid field",
        InvalidForm => "Invalid POST form",
        RefreshValue => "Value provided on refresh",
        RefreshTtlRequired => "A TTL must be provided on refresh",
        RaftInternal => "Raft Internal Error",
        LeaderElect => "During Leader Election",
        WatcherCleared => "watcher is cleared due to etcd recovery",
        EventIndexCleared => "The event in requested index is outdated and cleared",
        StandbyInternal => "Standby Internal Error",
        InvalidActiveSize => "Invalid active size",
        InvalidRemoveDelay => "Standby remove delay",
        ClientInternal => "Client Internal Error",
        _ => "",
    };

    /// <summary>The HTTP status etcd answers with for a code (400 unless listed).</summary>
    public static int HttpStatus(int code) => code switch
    {
        KeyNotFound => 404,
        NotFile or DirNotEmpty => 403,
        Unauthorized => 401,
        TestFailed or NodeExist => 412,
        RaftInternal or LeaderElect => 500,
        _ => 400,
    };
}
