namespace Coordinator.Client.Tests;

public sealed class KeyRangeTests
{
    [Theory]
    [InlineData(new byte[] { 0x61 }, new byte[] { 0x62 })]
    [InlineData(new byte[] { 0x61, 0xff }, new byte[] { 0x62 })]
    [InlineData(new byte[] { 0xff, 0xff }, new byte[] { 0 })]
    public void Prefix_end_is_the_first_key_after_the_prefix(byte[] prefix, byte[] end) =>
        Assert.Equal(end, KeyRange.PrefixEnd(prefix));

    [Fact]
    public void Grpc_timeout_header_uses_milliseconds_with_at_most_eight_digits()
    {
        Assert.Equal("1500m", Transport.GrpcTimeout.Format(TimeSpan.FromMilliseconds(1500)));
        Assert.Equal("200000S", Transport.GrpcTimeout.Format(TimeSpan.FromSeconds(200_000)));
    }
}
