using Coordinator.Recipes;

namespace Microsoft.Extensions.Configuration;

public static class CoordinatorConfigurationExtensions
{
    /// <summary>Adds every key under <paramref name="prefix"/> (e.g. "/config/myapp/": <c>/config/myapp/Db/Timeout</c>
    /// becomes <c>Db:Timeout</c>), reloaded once per changed revision.</summary>
    public static IConfigurationBuilder AddCoordinator(this IConfigurationBuilder builder, string prefix,
        Action<CoordinatorConfigurationOptions>? configure = null)
    {
        var options = new CoordinatorConfigurationOptions();
        configure?.Invoke(options);
        return builder.Add(new CoordinatorConfigurationSource(prefix, options));
    }
}
