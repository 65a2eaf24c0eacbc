using Coordinator.Grains.Raft;
using Xunit;

namespace Coordinator.Tests.Transport;

/// <summary>Field-by-field equality (records compare lists and memory by reference).</summary>
internal static class MessageAssert
{
    public static void Equal(Message expected, Message actual)
    {
        Assert.Equal(expected with { Entries = [], Snapshot = null }, actual with { Entries = [], Snapshot = null });
        Assert.Equal(expected.Entries, actual.Entries);   // Entry.Equals compares data bytes
        if (expected.Snapshot is null)
        {
            Assert.Null(actual.Snapshot);
            return;
        }
        Assert.NotNull(actual.Snapshot);
        Assert.Equal(expected.Snapshot.Metadata, actual.Snapshot.Metadata);
        Assert.True(expected.Snapshot.Data.Span.SequenceEqual(actual.Snapshot.Data.Span), "snapshot data differs");
    }
}
