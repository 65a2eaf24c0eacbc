using Coordinator.Orleans.Reminders;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Orleans.Hosting;

/// <summary>Reminders in Coordinator or etcd: <c>UseCoordinatorReminderService</c> on the silo builder.</summary>
public static class CoordinatorReminderExtensions
{
    public static ISiloBuilder UseCoordinatorReminderService(this ISiloBuilder builder, Action<CoordinatorReminderTableOptions> configure) =>
        builder.ConfigureServices(s => s.AddCoordinatorReminders(configure, null));

    /// <summary>Binds the options from <paramref name="section"/> (RootPrefix, Client:Endpoints, ...).</summary>
    public static ISiloBuilder UseCoordinatorReminderService(this ISiloBuilder builder, IConfiguration section) =>
        builder.ConfigureServices(s => s.AddCoordinatorReminders(null, section));

    private static void AddCoordinatorReminders(this IServiceCollection services, Action<CoordinatorReminderTableOptions>? configure, IConfiguration? section)
    {
        services.AddReminders();
        services.AddProviderOptions(Options.DefaultName, "Coordinator reminders", configure, section);
        services.AddSingleton<IReminderTable, CoordinatorReminderTable>();
    }
}
