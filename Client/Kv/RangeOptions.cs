using Etcdserverpb;

namespace Coordinator.Client;

/// <summary>How to read a <see cref="KeyRange"/> (etcd's RangeRequest fields).</summary>
public sealed record RangeOptions
{
    /// <summary>0 = no limit.</summary>
    public long Limit { get; init; }

    /// <summary>Read at this revision; 0 = the latest.</summary>
    public long Revision { get; init; }

    public RangeRequest.Types.SortOrder SortOrder { get; init; }

    public RangeRequest.Types.SortTarget SortTarget { get; init; }

    /// <summary>Read the member's local state without a consensus round (may be stale).</summary>
    public bool Serializable { get; init; }

    public bool KeysOnly { get; init; }

    public bool CountOnly { get; init; }

    internal RangeRequest ToRequest(KeyRange range) => new()
    {
        Key = range.Key,
        RangeEnd = range.RangeEnd,
        Limit = Limit,
        Revision = Revision,
        SortOrder = SortOrder,
        SortTarget = SortTarget,
        Serializable = Serializable,
        KeysOnly = KeysOnly,
        CountOnly = CountOnly,
    };
}
