using System.Text.Json;
using Orleans;
using Orleans.Runtime;

namespace Coordinator.Orleans.Clustering;

/// <summary>The stored JSON form of a <see cref="MembershipEntry"/>: every field, readable with etcdctl.
/// Times are UTC round-trip strings.</summary>
internal sealed class MembershipRow
{
    public string SiloAddress { get; set; } = "";
    public string Status { get; set; } = "";
    public List<SuspectVote>? SuspectTimes { get; set; }
    public int ProxyPort { get; set; }
    public string? HostName { get; set; }
    public string? SiloName { get; set; }
    public string? RoleName { get; set; }
    public int UpdateZone { get; set; }
    public int FaultZone { get; set; }
    public DateTime StartTime { get; set; }
    public DateTime IAmAliveTime { get; set; }

    public sealed class SuspectVote
    {
        public string Silo { get; set; } = "";
        public DateTime Time { get; set; }
    }

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static byte[] Serialize(MembershipEntry entry) => JsonSerializer.SerializeToUtf8Bytes(new MembershipRow
    {
        SiloAddress = entry.SiloAddress.ToParsableString(),
        Status = entry.Status.ToString(),
        SuspectTimes = entry.SuspectTimes?.Select(t => new SuspectVote { Silo = t.Item1.ToParsableString(), Time = Utc(t.Item2) }).ToList(),
        ProxyPort = entry.ProxyPort,
        HostName = entry.HostName,
        SiloName = entry.SiloName,
        RoleName = entry.RoleName,
        UpdateZone = entry.UpdateZone,
        FaultZone = entry.FaultZone,
        StartTime = Utc(entry.StartTime),
        IAmAliveTime = Utc(entry.IAmAliveTime),
    }, Json);

    /// <summary>Parses a stored row; a row that is not ours (written by hand, another tool) is reported with its key.</summary>
    public static MembershipEntry Deserialize(ReadOnlySpan<byte> json, string key)
    {
        MembershipRow? row;
        try { row = JsonSerializer.Deserialize<MembershipRow>(json, Json); }
        catch (JsonException e) { throw new CoordinatorProviderException($"membership row {key} is not valid JSON: {e.Message}", e); }
        if (row is null || !Enum.TryParse<SiloStatus>(row.Status, out var status))
            throw new CoordinatorProviderException($"membership row {key} has no valid status");
        return new MembershipEntry
        {
            SiloAddress = global::Orleans.Runtime.SiloAddress.FromParsableString(row.SiloAddress),
            Status = status,
            SuspectTimes = row.SuspectTimes?.Select(v => Tuple.Create(global::Orleans.Runtime.SiloAddress.FromParsableString(v.Silo), Utc(v.Time))).ToList(),
            ProxyPort = row.ProxyPort,
            HostName = row.HostName!,
            SiloName = row.SiloName!,
            RoleName = row.RoleName,
            UpdateZone = row.UpdateZone,
            FaultZone = row.FaultZone,
            StartTime = Utc(row.StartTime),
            IAmAliveTime = Utc(row.IAmAliveTime),
        };
    }

    private static DateTime Utc(DateTime t) => t.Kind switch
    {
        DateTimeKind.Utc => t,
        DateTimeKind.Local => t.ToUniversalTime(),
        _ => DateTime.SpecifyKind(t, DateTimeKind.Utc),
    };
}
