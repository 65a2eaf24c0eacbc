using Orleans;
using Orleans.Runtime;

namespace Coordinator.Orleans;

/// <summary>Fails the silo or client at start with a message that says which setting is missing, instead of a
/// connection error later.</summary>
internal sealed class CoordinatorOptionsValidator(CoordinatorProviderOptions options, string provider) : IConfigurationValidator
{
    public void ValidateConfiguration()
    {
        ValidateClient(options.Client, provider);
        if (string.IsNullOrWhiteSpace(options.RootPrefix) || !options.RootPrefix.StartsWith('/'))
            throw new OrleansConfigurationException(
                $"{provider}: RootPrefix must be a non-empty key prefix starting with '/' (got \"{options.RootPrefix}\").");
        if (KeyLayout.Root(options.RootPrefix).Length == 0)
            throw new OrleansConfigurationException($"{provider}: RootPrefix \"{options.RootPrefix}\" is only slashes; use for example \"/orleans\".");
    }

    public static void ValidateClient(Coordinator.Client.CoordinatorClientOptions? client, string provider)
    {
        if (client is null || client.Endpoints.Count == 0 || client.Endpoints.Any(string.IsNullOrWhiteSpace))
            throw new OrleansConfigurationException(
                $"{provider}: no Coordinator endpoints configured. Set Client.Endpoints (for example " +
                "\"Client\": { \"Endpoints\": [ \"127.0.0.1:2379\" ] } in its configuration section).");
    }
}
