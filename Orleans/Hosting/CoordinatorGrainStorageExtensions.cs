using Coordinator.Orleans.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Providers;
using Orleans.Runtime.Hosting;
using Orleans.Storage;

namespace Orleans.Hosting;

/// <summary>Grain storage in Coordinator or etcd: <c>AddCoordinatorGrainStorage("name", ...)</c> on the silo builder.</summary>
public static class CoordinatorGrainStorageExtensions
{
    public static ISiloBuilder AddCoordinatorGrainStorage(this ISiloBuilder builder, string name, Action<CoordinatorGrainStorageOptions> configure) =>
        builder.ConfigureServices(s => s.AddCoordinatorGrainStorage(name, configure, null));

    /// <summary>Binds the options from <paramref name="section"/> (RootPrefix, DeleteStateOnClear, Client:Endpoints, ...).</summary>
    public static ISiloBuilder AddCoordinatorGrainStorage(this ISiloBuilder builder, string name, IConfiguration section) =>
        builder.ConfigureServices(s => s.AddCoordinatorGrainStorage(name, null, section));

    public static ISiloBuilder AddCoordinatorGrainStorageAsDefault(this ISiloBuilder builder, Action<CoordinatorGrainStorageOptions> configure) =>
        builder.AddCoordinatorGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, configure);

    public static IServiceCollection AddCoordinatorGrainStorage(this IServiceCollection services, string name,
        Action<CoordinatorGrainStorageOptions>? configure, IConfiguration? section)
    {
        services.AddProviderOptions(name, $"Coordinator grain storage \"{name}\"", configure, section);
        services.AddTransient<IPostConfigureOptions<CoordinatorGrainStorageOptions>, DefaultStorageProviderSerializerOptionsConfigurator<CoordinatorGrainStorageOptions>>();
        return services.AddGrainStorage(name, (sp, n) => ActivatorUtilities.CreateInstance<CoordinatorGrainStorage>(
            sp, n, sp.GetRequiredService<IOptionsMonitor<CoordinatorGrainStorageOptions>>().Get(n)));
    }
}
