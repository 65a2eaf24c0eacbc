using Coordinator.Orleans;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace Orleans.Hosting;

/// <summary>Options plumbing shared by the providers' registration extensions.</summary>
internal static class ProviderRegistration
{
    /// <summary>Configures named options from a delegate and/or a configuration section, gives the client the
    /// host's logger factory unless one was set, and validates them when the silo or client starts.</summary>
    public static void AddProviderOptions<TOptions>(this IServiceCollection services, string name, string provider,
        Action<TOptions>? configure, IConfiguration? section)
        where TOptions : CoordinatorProviderOptions
    {
        var builder = services.AddOptions<TOptions>(name);
        if (section is not null) builder.Bind(section);
        if (configure is not null) builder.Configure(configure);
        builder.PostConfigure<IServiceProvider>((o, sp) => o.Client.LoggerFactory ??= sp.GetService<ILoggerFactory>());
        services.AddSingleton<IConfigurationValidator>(sp =>
            new CoordinatorOptionsValidator(sp.GetRequiredService<IOptionsMonitor<TOptions>>().Get(name), provider));
    }
}
