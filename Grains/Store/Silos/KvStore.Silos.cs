using Coordinator.Grains.Store.Silos;

namespace Coordinator.Grains.Store;

public sealed partial class KvStore
{
    /// <summary>The member silos' Orleans membership table (RaftRequest field 50): beside the key space, not in it.</summary>
    public SiloTable Silos { get; } = new();
}
