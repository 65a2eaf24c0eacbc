using System.Globalization;

namespace Coordinator.Grains.Replicas;

/// <summary>
/// Which replica a <see cref="ReplicaGrain"/> hosts: group <see cref="GroupId"/> on member <see cref="MemberId"/>.
/// Its text form, the grain's key, is <c>"{groupId}/{memberId}"</c> in decimal. Both ids are never 0.
/// </summary>
public readonly record struct ReplicaKey(ulong GroupId, ulong MemberId)
{
    public override string ToString() =>
        GroupId.ToString(CultureInfo.InvariantCulture) + "/" + MemberId.ToString(CultureInfo.InvariantCulture);

    public static ReplicaKey Parse(string key)
    {
        if (TryParse(key, out var parsed)) return parsed;
        throw new FormatException($"replica key \"{key}\" is not \"{{groupId}}/{{memberId}}\" with two non-zero decimal ids");
    }

    public static bool TryParse(string? key, out ReplicaKey parsed)
    {
        parsed = default;
        var slash = key?.IndexOf('/') ?? -1;
        if (slash < 0) return false;
        if (!ulong.TryParse(key.AsSpan(0, slash), NumberStyles.None, CultureInfo.InvariantCulture, out var group) ||
            !ulong.TryParse(key.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var member) ||
            group == 0 || member == 0)
            return false;
        parsed = new ReplicaKey(group, member);
        return true;
    }
}
