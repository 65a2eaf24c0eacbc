using Orleans.Storage;

namespace Coordinator.Orleans.Storage;

/// <summary>Options of one named grain storage. Records live at
/// <c>{RootPrefix}/{ServiceId}/grains/{provider}/{stateName}/{grainId}</c>.</summary>
public sealed class CoordinatorGrainStorageOptions : CoordinatorProviderOptions, IStorageProviderSerializerOptions
{
    /// <summary>How state is turned into the stored value. Defaults to the serializer registered under this
    /// provider's name, else the silo's default <see cref="IGrainStorageSerializer"/> (Orleans' JSON).</summary>
    public IGrainStorageSerializer GrainStorageSerializer { get; set; } = null!;

    /// <summary>False (default): clearing writes an empty record, so the key's mod_revision chain goes on and a
    /// holder of an etag from before the clear still loses. True: clearing deletes the key (no tombstones left
    /// behind); a stale holder still loses, because a deleted key's mod_revision is 0.</summary>
    public bool DeleteStateOnClear { get; set; }
}
