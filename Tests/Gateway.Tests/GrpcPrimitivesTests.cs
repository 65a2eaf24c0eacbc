using System.Buffers;
using System.Text;
using Coordinator.Gateway.Connections;
using Coordinator.Gateway.Grpc;
using Xunit;

namespace Coordinator.Tests.Gateway;

public sealed class GrpcPrimitivesTests
{
    [Theory]
    [InlineData("4981057u", 4981057L * 10)]
    [InlineData("1S", TimeSpan.TicksPerSecond)]
    [InlineData("200m", 200 * TimeSpan.TicksPerMillisecond)]
    [InlineData("2H", 2 * TimeSpan.TicksPerHour)]
    [InlineData("3M", 3 * TimeSpan.TicksPerMinute)]
    [InlineData("1000n", 10L)]
    public void Grpc_timeout_parses_every_unit(string header, long ticks)
    {
        Assert.True(GrpcTimeout.TryParse(header, out var timeout));
        Assert.Equal(ticks, timeout.Ticks);
    }

    [Theory]
    [InlineData("")]
    [InlineData("S")]
    [InlineData("10")]
    [InlineData("123456789S")]
    [InlineData("-1S")]
    [InlineData("1x")]
    public void Grpc_timeout_rejects_malformed_values(string header) => Assert.False(GrpcTimeout.TryParse(header, out _));

    [Theory]
    [InlineData("plain text", "plain text")]
    [InlineData("100%", "100%25")]
    [InlineData("naïve\n", "na%C3%AFve%0A")]
    public void Grpc_message_is_percent_encoded(string message, string encoded)
    {
        Assert.Equal(encoded, GrpcMessageEncoding.Encode(message));
        Assert.Equal(message, GrpcMessageEncoding.Decode(encoded));
    }

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
