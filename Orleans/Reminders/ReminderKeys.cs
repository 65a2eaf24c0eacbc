using System.Globalization;
using Coordinator.Client;
using Orleans.Runtime;

namespace Coordinator.Orleans.Reminders;

/// <summary>Reminder keys: <c>{prefix}{hash:x8}/{grainId}/{name}</c>, the grain's uniform hash first in fixed-width
/// lowercase hex so that the keys sort by hash and a hash interval is a key interval.</summary>
internal sealed class ReminderKeys(string prefix)
{
    public string Prefix { get; } = prefix;

    public string Grain(GrainId grainId) => $"{Prefix}{Hash(grainId.GetUniformHashCode())}/{KeyLayout.Escape(grainId.ToString())}/";

    public string Reminder(GrainId grainId, string name) => Grain(grainId) + KeyLayout.Escape(name);

    /// <summary>Keys whose hash h satisfies from &lt;= h &lt;= to (from &lt;= to).</summary>
    public KeyRange Hashes(uint from, uint to) => new(
        Google.Protobuf.ByteString.CopyFromUtf8(Prefix + Hash(from)),
        to == uint.MaxValue
            ? Google.Protobuf.ByteString.CopyFrom(KeyRange.PrefixEnd(KeyLayout.Utf8(Prefix)))
            : Google.Protobuf.ByteString.CopyFromUtf8(Prefix + Hash(to + 1)));

    private static string Hash(uint hash) => hash.ToString("x8", CultureInfo.InvariantCulture);
}
