#if DEBUG
using Coordinator.Silo.Storage;
using Xunit;

namespace Coordinator.Tests.Storage;

/// <summary>The test builds' disk failpoint does what the fault tests ask of it, from the first fsync on.</summary>
public sealed class FailpointFileSystemTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("failpoint-fs-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Fsync_fails_while_the_control_file_says_so_and_works_again_after()
    {
        var control = Path.Combine(_dir, "control");
        await File.WriteAllTextAsync(control, "fsync-fail");
        var fs = new FailpointFileSystem(DiskFileSystem.Instance, control);
        using var file = fs.OpenAppend(Path.Combine(_dir, "wal"));
        file.Append([1, 2, 3]);
        Assert.Throws<IOException>(() => file.Flush());
        Assert.Throws<IOException>(() => fs.FlushDirectory(_dir));

        await File.WriteAllTextAsync(control, "");
        await Task.Delay(250); // read at most every 100 ms
        file.Flush();
        fs.FlushDirectory(_dir);
        Assert.Equal(3, file.Length);
    }

    [Fact]
    public async Task A_delay_makes_every_fsync_slower_by_at_least_that_much()
    {
        var control = Path.Combine(_dir, "control");
        await File.WriteAllTextAsync(control, "fsync-delay-ms=200");
        var fs = new FailpointFileSystem(DiskFileSystem.Instance, control);
        using var file = fs.OpenAppend(Path.Combine(_dir, "wal"));
        var started = Environment.TickCount64;
        file.Flush();
        Assert.True(Environment.TickCount64 - started >= 190);
    }
}
#endif
