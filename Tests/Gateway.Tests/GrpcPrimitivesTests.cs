using System.Buffers;
using System.Text;
using Coordinator.Gateway.Connections;
using Xunit;

namespace Coordinator.Tests.Gateway;

public sealed class GrpcPrimitivesTests
{
    [Theory]
    [InlineData("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", true)]
    [InlineData("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\0\0\x12\x04", true)]
    [InlineData("PRI * HTTP/2", null)]
    [InlineData("P", null)]
    [InlineData("", null)]
    [InlineData("POST / HTTP/1.1\r\n", false)]
    [InlineData("GET /health HTTP/1.1\r\n", false)]
    [InlineData("PRI * HTTP/1.1", false)]
    public void Sniffer_tells_the_http2_preface_from_http1(string start, bool? expected) =>
        Assert.Equal(expected, ProtocolSniffer.Match(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(start))));
}
