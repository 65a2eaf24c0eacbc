using Coordinator.Orleans.Streams;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Orleans.Hosting;

/// <summary>A persistent stream provider over watches: <c>AddCoordinatorStreams("name", o => o.Prefixes.Add("/config/"))</c>
/// on the silo builder (which reads the watches) and, to subscribe from a client, on the client builder.</summary>
public static class CoordinatorStreamExtensions
{
    public static ISiloBuilder AddCoordinatorStreams(this ISiloBuilder builder, string name, Action<CoordinatorStreamOptions> configure,
        Action<ISiloPersistentStreamConfigurator>? configureStream = null)
    {
        builder.ConfigureServices(s => s.AddStreamOptions(name, configure, null));
        return builder.AddPersistentStreams(name, CoordinatorStreamAdapterFactory.Create, configureStream ?? (_ => { }));
    }

    /// <summary>Binds the options from <paramref name="section"/> (Prefixes, Namespace, QueueCount, Client:Endpoints, ...),
    /// then applies <paramref name="configure"/>.</summary>
    public static ISiloBuilder AddCoordinatorStreams(this ISiloBuilder builder, string name, IConfiguration section,
        Action<CoordinatorStreamOptions>? configure = null, Action<ISiloPersistentStreamConfigurator>? configureStream = null)
    {
        builder.ConfigureServices(s => s.AddStreamOptions(name, configure, section));
        return builder.AddPersistentStreams(name, CoordinatorStreamAdapterFactory.Create, configureStream ?? (_ => { }));
    }

    public static IClientBuilder AddCoordinatorStreams(this IClientBuilder builder, string name, Action<CoordinatorStreamOptions> configure)
    {
        builder.ConfigureServices(s => s.AddStreamOptions(name, configure, null));
        return builder.AddPersistentStreams(name, CoordinatorStreamAdapterFactory.Create, null);
    }

    private static void AddStreamOptions(this IServiceCollection services, string name, Action<CoordinatorStreamOptions>? configure, IConfiguration? section)
    {
        services.AddProviderOptions(name, $"Coordinator streams \"{name}\"", configure, section);
        services.AddSingleton<IConfigurationValidator>(sp =>
            new CoordinatorStreamOptionsValidator(sp.GetRequiredService<IOptionsMonitor<CoordinatorStreamOptions>>().Get(name), name));
    }
}
