using Coordinator.Orleans;
using Coordinator.Orleans.Coordination;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Orleans.Hosting;

/// <summary>Locks and elections for grains: <c>AddCoordinatorRecipes</c> on the silo builder registers
/// <see cref="CoordinatorRecipes"/> (inject it into a grain).</summary>
public static class CoordinatorRecipesExtensions
{
    public static ISiloBuilder AddCoordinatorRecipes(this ISiloBuilder builder, Action<CoordinatorRecipesOptions> configure) =>
        builder.ConfigureServices(s => s.AddCoordinatorRecipes(configure, null));

    /// <summary>Binds the options from <paramref name="section"/> (Client:Endpoints, SessionTimeToLive, ...).</summary>
    public static ISiloBuilder AddCoordinatorRecipes(this ISiloBuilder builder, IConfiguration section) =>
        builder.ConfigureServices(s => s.AddCoordinatorRecipes(null, section));

    private static void AddCoordinatorRecipes(this IServiceCollection services, Action<CoordinatorRecipesOptions>? configure, IConfiguration? section)
    {
        var options = services.AddOptions<CoordinatorRecipesOptions>();
        if (section is not null) options.Bind(section);
        if (configure is not null) options.Configure(configure);
        options.PostConfigure<IServiceProvider>((o, sp) => o.Client.LoggerFactory ??= sp.GetService<ILoggerFactory>());
        services.AddSingleton<IConfigurationValidator>(sp => new RecipesValidator(sp.GetRequiredService<IOptions<CoordinatorRecipesOptions>>().Value));
        services.TryAddSingleton<CoordinatorRecipes>();
    }

    private sealed class RecipesValidator(CoordinatorRecipesOptions options) : IConfigurationValidator
    {
        public void ValidateConfiguration() => CoordinatorOptionsValidator.ValidateClient(options.Client, "Coordinator recipes");
    }
}
