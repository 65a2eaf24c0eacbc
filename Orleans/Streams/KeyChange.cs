using System.Text;
using Orleans;

namespace Coordinator.Orleans.Streams;

/// <summary>One change of one key under a watched prefix, as a stream item. Its sequence token is
/// (<see cref="Revision"/>, index within the revision).</summary>
[GenerateSerializer, Immutable]
public sealed class KeyChange
{
    [Id(0)] public required string Key { get; init; }

    /// <summary>The new value; empty for a delete.</summary>
    [Id(1)] public required byte[] Value { get; init; }

    /// <summary>The store revision of the change (its mod_revision).</summary>
    [Id(2)] public required long Revision { get; init; }

    [Id(3)] public required bool IsDelete { get; init; }

    /// <summary>The key's version after the change (0 after a delete).</summary>
    [Id(4)] public required long Version { get; init; }

    public string ValueText => Encoding.UTF8.GetString(Value);

    public override string ToString() => $"{(IsDelete ? "DELETE" : "PUT")} {Key}@{Revision}";
}
