using Coordinator.Silo.Configuration;
using Xunit;

namespace Coordinator.Tests.Silo;

public sealed class ConfigParserTests
{
    private static CoordinatorConfig Parse(string[] args, Dictionary<string, string>? env = null) =>
        ConfigParser.Parse(args, name => env?.GetValueOrDefault(name)).Config!;

    private static string Error(string[] args, Dictionary<string, string>? env = null) =>
        Assert.Throws<ConfigurationException>(() => ConfigParser.Parse(args, name => env?.GetValueOrDefault(name))).Message;

    [Fact]
    public void NoFlags_IsOneMemberNamedDefaultOnEtcdsPorts()
    {
        var c = Parse([]);
        Assert.Equal("default", c.Name);
        Assert.Equal(Path.GetFullPath("default.coordinator"), c.DataDir);
        Assert.Equal("http://127.0.0.1:2379/", c.ListenClientUrls.Single().ToString());
        Assert.Equal("http://127.0.0.1:2380/", c.ListenPeerUrls.Single().ToString());
        Assert.Equal("default", c.InitialCluster.Single().Name);
        Assert.True(c.NewCluster);
        Assert.Equal(10, c.ElectionTicks);
    }

    [Fact]
    public void EnableV2_IsOnByDefault_AndTurnsOffWithFalse()
    {
        Assert.True(Parse([]).EnableV2);
        Assert.False(Parse(["--enable-v2=false"]).EnableV2);
        Assert.True(Parse(["--enable-v2"]).EnableV2);
        Assert.False(Parse([], new Dictionary<string, string> { ["ETCD_ENABLE_V2"] = "false" }).EnableV2);
    }

    [Fact]
    public void FlagsAcceptBothSpellings_AndEnvironmentVariables()
    {
        var c = Parse(["--name=a", "--heartbeat-interval", "50", "--election-timeout=500",
            "--initial-cluster", "a=http://127.0.0.1:2380,b=http://127.0.0.1:2390"],
            new() { ["ETCD_SNAPSHOT_COUNT"] = "42", ["COORDINATOR_MAX_TXN_OPS"] = "7", ["ETCD_MAX_TXN_OPS"] = "9" });
        Assert.Equal("a", c.Name);
        Assert.Equal(50, c.HeartbeatMs);
        Assert.Equal(42UL, c.SnapshotCount);
        Assert.Equal(7, c.MaxTxnOps); // COORDINATOR_ wins over ETCD_
        Assert.Equal(["a", "b"], c.InitialCluster.Select(m => m.Name));
    }

    [Fact]
    public void CommandLineWinsOverEnvironment()
    {
        var c = Parse(["--name", "cli"], new() { ["ETCD_NAME"] = "env" });
        Assert.Equal("cli", c.Name);
    }

    [Theory]
    [InlineData("--bogus=1", "unknown flag --bogus")]
    [InlineData("--heartbeat-interval=abc", "--heartbeat-interval: 'abc' is not a number")]
    [InlineData("--election-timeout=200", "at least 5 times")]
    [InlineData("--initial-cluster-state=maybe", "must be 'new' or 'existing'")]
    [InlineData("--listen-client-urls=localhost", "is not a URL")]
    [InlineData("--listen-peer-urls=https://127.0.0.1:2380", "cannot listen on TLS for 127.0.0.1:2380: KeyFile and CertFile are not presented")]
    [InlineData("--auto-compaction-mode=daily", "'periodic' or 'revision'")]
    [InlineData("--auto-compaction-retention=5x", "unknown unit")]
    [InlineData("--log-level=loud", "--log-level")]
    [InlineData("--snapshot-count=0", "--snapshot-count")]
    [InlineData("--name=", "--name must not be empty")]
    public void BadValues_AreOneClearLine(string arg, string expected)
    {
        var message = Error([arg]);
        Assert.Contains(expected, message);
        Assert.DoesNotContain('\n', message);
    }

    [Fact]
    public void NameMissingFromInitialCluster_IsRefused()
    {
        Assert.Contains("no member named 'c'", Error(["--name=c", "--initial-cluster=a=http://127.0.0.1:2380"]));
    }

    [Fact]
    public void AdvertisedPeerUrlMustMatchInitialCluster()
    {
        Assert.Contains("--initial-advertise-peer-urls",
            Error(["--name=a", "--initial-cluster=a=http://127.0.0.1:9999"]));
    }

    [Fact]
    public void DuplicatePeerUrl_IsRefused()
    {
        Assert.Contains("given twice", Error(["--name=a", "--initial-cluster=a=http://127.0.0.1:2380,b=http://127.0.0.1:2380"]));
    }

    [Fact]
    public void HelpAndVersion()
    {
        Assert.Equal(ConfigParser.Action.Help, ConfigParser.Parse(["--help"], _ => null).Action);
        Assert.Equal(ConfigParser.Action.Version, ConfigParser.Parse(["--version"], _ => null).Action);
        var help = CoordinatorFlags.HelpText();
        foreach (var f in CoordinatorFlags.All) Assert.Contains("--" + f.Name, help);
    }

    [Theory]
    [InlineData("periodic", "1", 3600)]
    [InlineData("periodic", "30m", 1800)]
    [InlineData("periodic", "1h30m", 5400)]
    [InlineData("periodic", "0", 0)]
    public void PeriodicRetention(string mode, string retention, int seconds)
    {
        var a = AutoCompaction.Parse(mode, retention);
        Assert.True(a.Periodic);
        Assert.Equal(TimeSpan.FromSeconds(seconds), a.Window);
    }

    [Fact]
    public void RevisionRetention()
    {
        var a = AutoCompaction.Parse("revision", "1000");
        Assert.False(a.Periodic);
        Assert.Equal(1000, a.Revisions);
        Assert.Throws<ConfigurationException>(() => AutoCompaction.Parse("revision", "-1"));
    }
}
