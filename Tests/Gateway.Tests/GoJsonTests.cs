using System.Text;
using Coordinator.Gateway.Http.V2;
using Xunit;

namespace Coordinator.Tests.Gateway;

/// <summary>Go's encoding/json and time formatting, which etcd's v2 bodies are written in.</summary>
public class GoJsonTests
{
    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("a\"b\\c", "\"a\\\"b\\\\c\"")]
    [InlineData("<tag>&", "\"\\u003ctag\\u003e\\u0026\"")]
    [InlineData("line\nbreak\ttab\u0001", "\"line\\nbreak\\ttab\\u0001\"")]
    [InlineData("é \u2028", "\"é \\u2028\"")]
    public void Strings_are_escaped_as_go_escapes_them(string value, string json) =>
        Assert.Equal(json, GoJson.String(new StringBuilder(), value).ToString());

    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(0.0272181886792453, "0.0272181886792453")]
    [InlineData(1.864959, "1.864959")]
    [InlineData(9223372036854775808.0, "9223372036854776000")] // etcd's initial minimum, as Go prints it
    [InlineData(1e21, "1e+21")]
    [InlineData(1e-7, "1e-7")]
    [InlineData(123.0, "123")]
    public void Floats_use_gos_shortest_form(double value, string json) => Assert.Equal(json, GoJson.Float(value));

    [Fact]
    public void Times_are_rfc3339_with_nanoseconds_and_durations_go_strings()
    {
        Assert.Equal("2018-08-02T14:06:12.728999386Z", GoJson.Time(1533218772_728999386L));
        Assert.Equal("2018-08-02T14:06:12Z", GoJson.Time(1533218772_000000000L));
        Assert.Equal("2018-08-02T14:06:12.5Z", GoJson.Time(1533218772_500000000L));
        Assert.Equal("4h49m25.9130091s", GoJson.Duration(TimeSpan.FromTicks(4 * 36_000_000_000L + 49 * 600_000_000L + 25 * 10_000_000L + 9_130_091L)));
        Assert.Equal("1.5s", GoJson.Duration(TimeSpan.FromMilliseconds(1500)));
        Assert.Equal("2m0s", GoJson.Duration(TimeSpan.FromMinutes(2)));
        Assert.Equal("1h0m0s", GoJson.Duration(TimeSpan.FromHours(1)));
        Assert.Equal("250ms", GoJson.Duration(TimeSpan.FromMilliseconds(250)));
        Assert.Equal("0s", GoJson.Duration(TimeSpan.Zero));
    }
}
