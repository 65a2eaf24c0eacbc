namespace Coordinator.Client.Tests;

public sealed class KeyRangeTests
{
    [Theory]
    [InlineData(new byte[] { 0x61 }, new byte[] { 0x62 })]
    [InlineData(new byte[] { 0x61, 0xff }, new byte[] { 0x62 })]
    [InlineData(new byte[] { 0xff, 0xff }, new byte[] { 0 })]
    public void Prefix_end_is_the_first_key_after_the_prefix(byte[] prefix, byte[] end) =>
        Assert.Equal(end, KeyRange.PrefixEnd(prefix));

}
