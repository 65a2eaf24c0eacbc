using Coordinator.Silo.Storage;
using Xunit;

namespace Coordinator.Tests.Storage;

public sealed class DataDirLockTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void ASecondAcquireIsRefusedNamingTheHoldersPid()
    {
        using (DataDirLock.Acquire(_dir.Path))
        {
            var error = Assert.Throws<IOException>(() => DataDirLock.Acquire(_dir.Path));
            Assert.Contains($"pid {Environment.ProcessId}", error.Message);
            Assert.True(File.Exists(WalPaths.LockFile(_dir.Path)));
        }
        using var again = DataDirLock.Acquire(_dir.Path);
    }
}
