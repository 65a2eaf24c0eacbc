using System.Text.Json;

namespace Coordinator.Silo.Cluster;

/// <summary>A member as the replicated member table knows it.</summary>
public sealed record Member(ulong Id, string Name, IReadOnlyList<string> PeerUrls, IReadOnlyList<string> ClientUrls, bool IsLearner)
{
    /// <summary>What a config change carries about the member it adds (Raft passes it through untouched).</summary>
    public sealed record Attributes(string Name, IReadOnlyList<string> PeerUrls)
    {
        public byte[] Encode() => JsonSerializer.SerializeToUtf8Bytes(this);
        public static Attributes Decode(ReadOnlySpan<byte> data) =>
            data.IsEmpty ? new Attributes("", []) : JsonSerializer.Deserialize<Attributes>(data) ?? new Attributes("", []);
    }
}
