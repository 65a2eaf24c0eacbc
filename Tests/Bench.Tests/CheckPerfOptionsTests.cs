using Coordinator.Bench.CheckPerf;
using Coordinator.Bench.Running;
using Xunit;

namespace Coordinator.Tests.Bench;

/// <summary>Bad check-perf options are refused with a message naming the option, never a stack trace.</summary>
public class CheckPerfOptionsTests
{
    [Fact]
    public void Defaults_are_the_issue_s_check_load_l_against_all_three_targets_on_3_members()
    {
        var o = CheckPerfOptionsReader.Read(new OptionParser(["check-perf"]));

        Assert.Equal("l", o.Load);
        Assert.Equal(["null", "coordinator", "etcd"], o.Targets);
        Assert.Equal(3, o.Members);
        Assert.Empty(o.Burn);
    }

    [Theory]
    [InlineData("--load", "huge", "--load")]
    [InlineData("--targets", "null,redis", "--targets")]
    [InlineData("--members", "9", "--members")]
    [InlineData("--members", "three", "--members")]
    [InlineData("--runs", "0", "--runs")]
    [InlineData("--burn", "1.5", "--burn")]
    [InlineData("--burn", "half", "--burn")]
    public void A_bad_value_is_an_argument_error_naming_the_option(string option, string value, string named)
    {
        var e = Assert.Throws<ArgumentException>(() => CheckPerfOptionsReader.Read(new OptionParser(["check-perf", option, value])));
        Assert.Contains(named, e.Message);
    }

    [Fact]
    public void A_bad_duration_is_an_argument_error()
    {
        Assert.Throws<ArgumentException>(() => OptionParser.ParseDuration("soon"));
        Assert.Throws<ArgumentException>(() => OptionParser.ParseDuration("-5s"));
    }
}
