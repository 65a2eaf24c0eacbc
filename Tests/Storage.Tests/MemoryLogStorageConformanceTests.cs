using Coordinator.Grains.Raft;

namespace Coordinator.Tests.Storage;

public sealed class MemoryLogStorageConformanceTests : LogStorageConformance
{
    protected override IRaftLogStorage Create() => new MemoryLogStorage();
}
