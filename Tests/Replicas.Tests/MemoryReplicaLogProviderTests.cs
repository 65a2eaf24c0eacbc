using Coordinator.Grains.Raft;
using Coordinator.Grains.Replicas;

namespace Coordinator.Replicas.Tests;

public sealed class MemoryReplicaLogProviderTests
{
    [Fact]
    public async Task A_group_log_is_handed_out_once_until_disposed_and_keeps_what_was_persisted()
    {
        var disk = new MemoryReplicaLogDisk();
        using var provider = new MemoryReplicaLogProvider(disk);
        var first = provider.Open(4);
        await first.PersistAsync(null, new HardState(2, 1, 0), [new Entry(1, 2)], CancellationToken.None);

        Assert.Throws<ReplicaLogInUseException>(() => provider.Open(4));
        using (var other = provider.Open(5)) Assert.Equal(0UL, other.LastIndex); // other groups are independent

        first.Dispose();
        Assert.Throws<ObjectDisposedException>(() => first.LastIndex);
        using var second = provider.Open(4);
        Assert.Equal(new HardState(2, 1, 0), second.HardState);
        Assert.Equal(1UL, second.LastIndex);
    }

    [Fact]
    public async Task Disposing_the_provider_closes_its_logs_and_frees_the_disk_for_the_next_incarnation()
    {
        var disk = new MemoryReplicaLogDisk();
        var provider = new MemoryReplicaLogProvider(disk);
        var log = provider.Open(4);
        await log.PersistAsync(null, new HardState(1, 0, 0), [new Entry(1, 1)], CancellationToken.None);
        Assert.Throws<InvalidOperationException>(() => new MemoryReplicaLogProvider(disk)); // one live owner

        provider.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(() =>
            log.PersistAsync(null, new HardState(5, 5, 0), [], CancellationToken.None)); // a zombie holder cannot write

        using var next = new MemoryReplicaLogProvider(disk);
        using var reopened = next.Open(4);
        Assert.Equal(new HardState(1, 0, 0), reopened.HardState);
        Assert.Equal(1UL, reopened.LastIndex);
    }

    [Theory]
    [InlineData("7/3", 7UL, 3UL)]
    [InlineData("18446744073709551615/1", ulong.MaxValue, 1UL)]
    public void A_replica_key_is_group_slash_member(string text, ulong group, ulong member)
    {
        Assert.Equal(new ReplicaKey(group, member), ReplicaKey.Parse(text));
        Assert.Equal(text, new ReplicaKey(group, member).ToString());
    }

    [Theory]
    [InlineData("7")]
    [InlineData("0/3")]
    [InlineData("7/0")]
    [InlineData("7/-3")]
    [InlineData("7/3/1")]
    [InlineData(" 7/3")]
    public void A_malformed_replica_key_is_refused_with_its_text(string text)
    {
        var e = Assert.Throws<FormatException>(() => ReplicaKey.Parse(text));
        Assert.Equal($"replica key \"{text}\" is not \"{{groupId}}/{{memberId}}\" with two non-zero decimal ids", e.Message);
    }
}
