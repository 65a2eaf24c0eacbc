using System.Net;
using Coordinator.Silo.Configuration;
using Xunit;

namespace Coordinator.Tests.Silo;

/// <summary>The member silo's flags: defaults that need no flags, environment variables, and clear refusals.</summary>
public sealed class SiloConfigTests
{
    private static CoordinatorConfig Parse(string[] args, Dictionary<string, string>? env = null) =>
        ConfigParser.Parse(args, name => env?.GetValueOrDefault(name)).Config!;

    private static string Error(params string[] args) =>
        Assert.Throws<ConfigurationException>(() => ConfigParser.Parse(args, _ => null)).Message;

    [Fact]
    public void No_flags_is_free_ports_on_loopback_without_dashboard()
    {
        var s = Parse([]).Silo;
        Assert.Equal((0, 0, IPAddress.Loopback, false), (s.SiloPort, s.GatewayPort, s.AdvertiseAddress, s.Dashboard));
    }

    [Fact]
    public void The_advertised_address_follows_the_advertised_peer_url_and_flags_and_variables_set_the_rest()
    {
        var s = Parse(["--initial-advertise-peer-urls", "http://10.1.2.3:2380", "--listen-peer-urls", "http://10.1.2.3:2380",
            "--initial-cluster", "default=http://10.1.2.3:2380", "--silo-port", "11111", "--enable-dashboard"],
            new() { ["COORDINATOR_SILO_GATEWAY_PORT"] = "30000" }).Silo;
        Assert.Equal((11111, 30000, IPAddress.Parse("10.1.2.3"), true), (s.SiloPort, s.GatewayPort, s.AdvertiseAddress, s.Dashboard));
        Assert.Equal(IPAddress.Parse("10.9.9.9"), Parse(["--silo-advertise-address", "10.9.9.9"]).Silo.AdvertiseAddress);
    }

    [Theory]
    [InlineData("--silo-port", "65536")]
    [InlineData("--silo-port", "-1")]
    [InlineData("--silo-port", "eleven")]
    [InlineData("--silo-gateway-port", "99999999999")]
    public void Out_of_range_or_garbage_ports_are_refused_naming_the_flag(string flag, string value) =>
        Assert.Contains(flag.TrimStart('-'), Error(flag, value));

    [Fact]
    public void An_advertise_address_that_is_not_an_ip_is_refused() =>
        Assert.Equal("--silo-advertise-address: 'silo.example' is not an IP address", Error("--silo-advertise-address", "silo.example"));
}
