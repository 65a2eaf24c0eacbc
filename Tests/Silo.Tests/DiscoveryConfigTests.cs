using Coordinator.Silo.Configuration;
using Xunit;

namespace Coordinator.Tests.Silo;

/// <summary>The discovery flags: etcd's names, defaults, conflicts and error texts.</summary>
public sealed class DiscoveryConfigTests
{
    private static CoordinatorConfig Parse(params string[] args) => ConfigParser.Parse(args, _ => null).Config!;

    private static string Error(string[] args, Dictionary<string, string>? env = null) =>
        Assert.Throws<ConfigurationException>(() => ConfigParser.Parse(args, name => env?.GetValueOrDefault(name))).Message;

    private const string Conflict =
        "multiple discovery or bootstrap flags are set. Choose one of \"initial-cluster\", \"discovery\" or \"discovery-srv\"";

    [Fact]
    public void NoDiscoveryFlags_IsNoDiscovery_WithEtcdsDefaults()
    {
        var d = Parse().Discovery;
        Assert.False(d.Enabled);
        Assert.Equal("proxy", d.Fallback);
        Assert.Null(d.DnsServer);
    }

    [Fact]
    public void DiscoveryUrlAndSrv_AreParsed()
    {
        var d = Parse("--discovery", "http://10.0.0.1:2379/v2/keys/_etcd/registry/abc", "--discovery-fallback", "exit",
            "--discovery-proxy", "10.0.0.9:3128", "--discovery-retries", "0").Discovery;
        Assert.Equal("/v2/keys/_etcd/registry/abc", d.Url!.AbsolutePath);
        Assert.Equal("exit", d.Fallback);
        Assert.Equal("http://10.0.0.9:3128/", d.Proxy!.ToString());
        Assert.Equal(0, d.Retries);
        var s = Parse("--discovery-srv", "example.com.", "--discovery-srv-name", "blue", "--dns-server", "127.0.0.1:5353").Discovery;
        Assert.Equal("example.com", s.SrvDomain);
        Assert.Equal("blue", s.SrvName);
        Assert.Equal("127.0.0.1:5353", s.DnsServer!.ToString());
        Assert.Equal(53, Parse("--discovery-srv", "x.test", "--dns-server", "127.0.0.1").Discovery.DnsServer!.Port);
    }

    [Theory]
    [InlineData("--discovery=http://h:2379/v2/keys/t", "--initial-cluster=default=http://127.0.0.1:2380")]
    [InlineData("--discovery=http://h:2379/v2/keys/t", "--discovery-srv=example.com")]
    [InlineData("--discovery-srv=example.com", "--initial-cluster=default=http://127.0.0.1:2380")]
    public void TwoWaysToBootstrap_AreEtcdsConflictError(string a, string b) => Assert.Equal(Conflict, Error([a, b]));

    [Fact]
    public void InitialClusterFromTheEnvironment_ConflictsToo() =>
        Assert.Equal(Conflict, Error(["--discovery-srv=example.com"], new() { ["ETCD_INITIAL_CLUSTER"] = "default=http://127.0.0.1:2380" }));

    [Theory]
    [InlineData("--discovery-fallback=maybe", "invalid value \"maybe\" for flag -discovery-fallback: invalid value")]
    [InlineData("--discovery=not a url", "--discovery: 'not a url' is not a discovery URL")]
    [InlineData("--discovery=http://h:2379", "is not a discovery URL")]
    [InlineData("--dns-server=nameserver", "--dns-server: 'nameserver' is not an address")]
    [InlineData("--discovery-retries=-1", "--discovery-retries: '-1' is not a number")]
    public void BadValues_AreRefusedNamingTheFlag(string arg, string expected) => Assert.Contains(expected, Error([arg]));
}
