namespace Coordinator.Orleans.Reminders;

/// <summary>Options of the reminder table. Reminders live under <c>{RootPrefix}/{ServiceId}/reminders/</c>
/// (keyed by service, as Orleans' own tables do, so they outlive a cluster's redeployment).</summary>
public sealed class CoordinatorReminderTableOptions : CoordinatorProviderOptions;
