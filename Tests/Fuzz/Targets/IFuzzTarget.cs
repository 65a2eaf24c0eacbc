namespace Coordinator.Fuzz;

/// <summary>One entry point fed arbitrary bytes. <see cref="Run"/> returns normally when the input was handled —
/// accepted, or refused with the entry point's documented error — and throws anything else: a crash, a hang
/// guard, or a state that no longer answers correctly afterwards.</summary>
public interface IFuzzTarget
{
    string Name { get; }

    void Run(ReadOnlySpan<byte> input);

    /// <summary>Random corruptions CI feeds it per run (<c>COORDINATOR_FUZZ_ROUNDS</c> overrides).</summary>
    int CiRounds => 20_000;
}
