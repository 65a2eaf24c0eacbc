using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Coordinator.Client;

/// <summary>Registers one shared <see cref="CoordinatorClient"/> (singleton, disposed with the container).
/// The container's <see cref="ILoggerFactory"/> is used when the options set none.</summary>
public static class CoordinatorServiceCollectionExtensions
{
    public static IServiceCollection AddCoordinatorClient(this IServiceCollection services, Action<CoordinatorClientOptions> configure)
    {
        services.AddOptions<CoordinatorClientOptions>().Configure(configure);
        return AddClient(services);
    }

    /// <summary>Binds the "Coordinator" section of <paramref name="configuration"/>, e.g.
    /// <c>"Coordinator": { "Endpoints": ["127.0.0.1:2379"], "RequestTimeout": "00:00:05" }</c>.</summary>
    public static IServiceCollection AddCoordinatorClient(this IServiceCollection services, IConfiguration configuration,
        Action<CoordinatorClientOptions>? configure = null)
    {
        var builder = services.AddOptions<CoordinatorClientOptions>().Bind(configuration.GetSection(CoordinatorClientOptions.SectionName));
        if (configure is not null) builder.Configure(configure);
        return AddClient(services);
    }

    private static IServiceCollection AddClient(IServiceCollection services)
    {
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<CoordinatorClientOptions>>().Value;
            options.LoggerFactory ??= sp.GetService<ILoggerFactory>();
            return new CoordinatorClient(options);
        });
        return services;
    }
}
