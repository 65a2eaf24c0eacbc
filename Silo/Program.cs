using Coordinator.Silo.Configuration;
using Coordinator.Silo.Hosting;

namespace Coordinator.Silo;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "snapshot") return SnapshotCommand.Run(args[1..], Console.Out, Console.Error);
        ConfigParser.Action action;
        CoordinatorConfig? config;
        try
        {
            (action, config) = ConfigParser.Parse(args, Environment.GetEnvironmentVariable);
        }
        catch (ConfigurationException e)
        {
            await Console.Error.WriteLineAsync("coordinator: " + e.Message);
            return 1;
        }
        switch (action)
        {
            case ConfigParser.Action.Help:
                Console.WriteLine(CoordinatorFlags.HelpText());
                return 0;
            case ConfigParser.Action.Version:
                Console.WriteLine($"coordinator Version: {VersionInfo.Coordinator}");
                Console.WriteLine($"etcd API Version: {VersionInfo.ServerVersion}");
                Console.WriteLine($".NET Version: {Environment.Version}");
                return 0;
        }
        try
        {
            await using var server = await CoordinatorServer.StartAsync(config!);
            await server.WaitForShutdownAsync();
            return 0;
        }
        catch (ConfigurationException e)
        {
            await Console.Error.WriteLineAsync("coordinator: " + e.Message);
            return 1;
        }
        catch (OperationCanceledException)
        {
            // SIGTERM or Ctrl-C while the listeners were still starting: nothing was served, nothing to finish.
            await Console.Error.WriteLineAsync("coordinator: stopped before start-up completed");
            return 0;
        }
        catch (IOException e) when (e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
        {
            await Console.Error.WriteLineAsync("coordinator: " + e.Message);
            return 1;
        }
    }
}
