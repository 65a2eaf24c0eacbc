using Orleans;
using Orleans.Runtime;

namespace Coordinator.Orleans.Tests.Grains;

public interface IReminderGrain : IGrainWithStringKey
{
    Task Start(TimeSpan period);
    Task Stop();
    Task<int> Ticks();
}

/// <summary>Counts the ticks of one reminder, kept in the Coordinator reminder table.</summary>
public sealed class ReminderGrain : Grain, IReminderGrain, IRemindable
{
    private int _ticks;

    public Task Start(TimeSpan period) => this.RegisterOrUpdateReminder("tick", period, period);

    public async Task Stop()
    {
        var reminder = await this.GetReminder("tick");
        if (reminder is not null) await this.UnregisterReminder(reminder);
    }

    public Task<int> Ticks() => Task.FromResult(_ticks);

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        _ticks++;
        return Task.CompletedTask;
    }
}
