using Coordinator.Protocol.Internal;
using Coordinator.Silo.Hosting;
using Etcdserverpb;
using Google.Protobuf;
using Xunit;

namespace Coordinator.Tests.Silo;

public class ProposalPayloadTests
{
    [Theory]
    [InlineData(1UL, 1UL)]
    [InlineData(127UL, 128UL)]
    [InlineData(ulong.MaxValue, ulong.MaxValue - 1)]
    public void SealedPayload_ParsesAsTheRequestWithIdAndFloor(ulong id, ulong floor)
    {
        var request = new RaftRequest { Session = 77, Put = new PutRequest { Key = ByteString.CopyFromUtf8("k"), Value = ByteString.CopyFromUtf8("v") } };
        var payload = new ProposalPayload(request);
        var parsed = RaftRequest.Parser.ParseFrom(payload.Seal(id, floor).Span);
        Assert.Equal(id, parsed.Id);
        Assert.Equal(floor, parsed.Floor);
        Assert.Equal(77UL, parsed.Session);
        Assert.Equal(request.Put, parsed.Put);
        Assert.Throws<InvalidOperationException>(() => payload.Seal(id, floor));
    }

    [Fact]
    public void IdAndFloorSetBeforehand_AreRefused() =>
        Assert.Throws<ArgumentException>(() => new ProposalPayload(new RaftRequest { Id = 3 }));
}
