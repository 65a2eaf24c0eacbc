using System.Diagnostics;

namespace Coordinator.Bench.CheckPerf;

/// <summary>A thread that keeps a fraction of one core busy (spins that share of every 10 ms, sleeps the rest):
/// other work competing with a load generator, as a server's members do.</summary>
public sealed class CpuBurner : IDisposable
{
    private readonly Thread _thread;
    private volatile bool _stop;

    public CpuBurner(double coreFraction)
    {
        if (coreFraction is <= 0 or > 1) throw new ArgumentOutOfRangeException(nameof(coreFraction), "a fraction of one core, in (0, 1]");
        _thread = new Thread(() => Burn(coreFraction)) { IsBackground = true, Name = "cpu burner" };
        _thread.Start();
    }

    private void Burn(double fraction)
    {
        var period = Stopwatch.Frequency / 100;
        var busy = (long)(period * fraction);
        while (!_stop)
        {
            var start = Stopwatch.GetTimestamp();
            while (Stopwatch.GetTimestamp() - start < busy) { }
            var rest = period - (Stopwatch.GetTimestamp() - start);
            if (rest > 0) Thread.Sleep(TimeSpan.FromSeconds(rest / (double)Stopwatch.Frequency));
        }
    }

    public void Dispose()
    {
        _stop = true;
        _thread.Join();
    }
}
