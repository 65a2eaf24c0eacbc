using System.Text.Json;
using Orleans;
using Orleans.Runtime;

namespace Coordinator.Orleans.Reminders;

/// <summary>The stored JSON form of a reminder (the etag is not stored: it is the key's mod_revision).</summary>
internal sealed class ReminderRow
{
    public string GrainId { get; set; } = "";
    public string Name { get; set; } = "";
    public DateTime StartAt { get; set; }
    public TimeSpan Period { get; set; }

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static byte[] Serialize(ReminderEntry entry) => JsonSerializer.SerializeToUtf8Bytes(new ReminderRow
    {
        GrainId = entry.GrainId.ToString(),
        Name = entry.ReminderName,
        StartAt = entry.StartAt.Kind == DateTimeKind.Local ? entry.StartAt.ToUniversalTime() : DateTime.SpecifyKind(entry.StartAt, DateTimeKind.Utc),
        Period = entry.Period,
    }, Json);

    public static ReminderEntry Deserialize(Mvccpb.KeyValue kv)
    {
        ReminderRow? row;
        try { row = JsonSerializer.Deserialize<ReminderRow>(kv.Value.Span, Json); }
        catch (JsonException e) { throw new CoordinatorProviderException($"reminder {kv.Key.ToStringUtf8()} is not valid JSON: {e.Message}", e); }
        if (row is null || row.GrainId.Length == 0)
            throw new CoordinatorProviderException($"reminder {kv.Key.ToStringUtf8()} has no grain id");
        return new ReminderEntry
        {
            GrainId = global::Orleans.Runtime.GrainId.Parse(row.GrainId),
            ReminderName = row.Name,
            StartAt = row.StartAt,
            Period = row.Period,
            ETag = kv.ModRevision.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }
}
