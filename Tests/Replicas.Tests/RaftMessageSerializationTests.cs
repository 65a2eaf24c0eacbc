using Coordinator.Grains.Raft;
using Coordinator.Grains.Replicas;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Xunit;

namespace Coordinator.Replicas.Tests;

/// <summary>Raft messages cross silos through a field-by-field surrogate: every property of <see cref="Message"/>
/// must survive it (a property added to Message and forgotten here fails this test).</summary>
public sealed class RaftMessageSerializationTests
{
    [Fact]
    public void Every_message_property_survives_Orleans_serialization()
    {
        var services = new ServiceCollection().AddSerializer(b => b.AddAssembly(typeof(MessageSurrogate).Assembly)).BuildServiceProvider();
        var serializer = services.GetRequiredService<Serializer>();
        var full = new Message
        {
            Group = 7, Type = MessageType.Heartbeat, From = 1, To = 2, Term = 9, LogTerm = 8, Index = 100,
            Entries = [new Entry(101, 9, EntryType.Normal, new byte[] { 1, 2 })], Commit = 99, Reject = true, RejectHint = 55,
            Snapshot = new Snapshot(new SnapshotMetadata(90, 8, Membership.OfVoters(1, 2, 3)), new byte[] { 9 }),
            Context = 42, LeaderTransfer = true, Quiesce = true,
        };
        var copy = serializer.Deserialize<Message>(serializer.SerializeToArray(full));
        foreach (var property in typeof(Message).GetProperties().Where(p => p.Name != "EqualityContract"))
        {
            var expected = property.GetValue(full);
            var actual = property.GetValue(copy);
            switch (expected)
            {
                case IReadOnlyList<Entry> entries: Assert.Equal(entries, (IReadOnlyList<Entry>)actual!); break;
                case Snapshot snapshot:
                    var s = Assert.IsType<Snapshot>(actual);
                    Assert.Equal(snapshot.Metadata, s.Metadata);
                    Assert.Equal(snapshot.Data.ToArray(), s.Data.ToArray());
                    break;
                default: Assert.Equal(expected, actual); break;
            }
            Assert.NotEqual(property.PropertyType.IsValueType ? Activator.CreateInstance(property.PropertyType) : null, expected); // every property set
        }
    }
}
