using Orleans;
using Orleans.Runtime;

namespace Coordinator.Orleans.Streams;

/// <summary>Refuses a stream provider with nothing to watch or prefixes that cannot be told apart.</summary>
internal sealed class CoordinatorStreamOptionsValidator(CoordinatorStreamOptions options, string name) : IConfigurationValidator
{
    public void ValidateConfiguration()
    {
        if (options.Prefixes.Count == 0)
            throw new OrleansConfigurationException($"Coordinator streams \"{name}\": Prefixes is empty; list the key prefixes to watch (for example \"/config/myapp/\").");
        if (options.Prefixes.Any(string.IsNullOrEmpty))
            throw new OrleansConfigurationException($"Coordinator streams \"{name}\": a prefix is empty (watching the whole key space needs an explicit prefix such as \"/\").");
        var duplicate = options.Prefixes.GroupBy(p => p).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new OrleansConfigurationException($"Coordinator streams \"{name}\": prefix \"{duplicate.Key}\" is listed twice.");
        if (options.QueueCount < 1)
            throw new OrleansConfigurationException($"Coordinator streams \"{name}\": QueueCount must be at least 1 (got {options.QueueCount}).");
        if (options.CacheSize < 1)
            throw new OrleansConfigurationException($"Coordinator streams \"{name}\": CacheSize must be at least 1 (got {options.CacheSize}).");
    }
}
