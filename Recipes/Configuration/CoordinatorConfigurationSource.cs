using Coordinator.Client;
using Microsoft.Extensions.Configuration;

namespace Coordinator.Recipes;

/// <summary>Configuration from every key under <see cref="Prefix"/>: <c>/config/myapp/Db/Timeout</c> is <c>Db:Timeout</c>.</summary>
public sealed class CoordinatorConfigurationSource : IConfigurationSource
{
    public CoordinatorConfigurationSource(string prefix, CoordinatorConfigurationOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        Prefix = prefix;
        Options = options;
    }

    public string Prefix { get; }

    public CoordinatorConfigurationOptions Options { get; }

    public IConfigurationProvider Build(IConfigurationBuilder builder)
    {
        if (Options.Client is { } shared) return new CoordinatorConfigurationProvider(shared, ownsClient: false, Prefix, Options);
        var clientOptions = Options.ClientOptions ?? EndpointsFromEarlierSources(builder);
        return new CoordinatorConfigurationProvider(new CoordinatorClient(clientOptions), ownsClient: true, Prefix, Options);
    }

    /// <summary>The "Coordinator" section of the sources added before this one (not including this source).</summary>
    private CoordinatorClientOptions EndpointsFromEarlierSources(IConfigurationBuilder builder)
    {
        var earlier = new ConfigurationBuilder();
        foreach (var source in builder.Sources.TakeWhile(s => !ReferenceEquals(s, this))) earlier.Add(source);
        using var root = earlier.Build() as IDisposable;
        var section = ((IConfiguration)root!).GetSection(CoordinatorClientOptions.SectionName);
        var endpoints = section.GetSection(nameof(CoordinatorClientOptions.Endpoints)).GetChildren()
            .Select(c => c.Value).OfType<string>().ToList();
        return new CoordinatorClientOptions { Endpoints = endpoints };
    }
}
