using Coordinator.Fuzz;
using Xunit;

namespace Coordinator.Tests.Fuzz;

/// <summary>Every fuzz target, in CI: the committed corpus (Tests/Fuzz/corpus/&lt;target&gt;/, including every
/// input that once crashed), the seed inputs, and seeded random corruptions of them (20,000 per target, 2,000 for the targets that go through a real member) (bit flips, truncations,
/// insertions, splices). Nothing may escape a target. COORDINATOR_FUZZ_ROUNDS widens the random part.</summary>
public sealed class FuzzRegressionTests
{
    public static TheoryData<string> Targets() => new(FuzzTargets.All.Keys);

    [Theory]
    [MemberData(nameof(Targets))]
    public void Corpus_IsHandled(string name)
    {
        var target = FuzzTargets.All[name]();
        using var _ = target as IDisposable;
        var directory = Path.Combine(AppContext.BaseDirectory, "corpus", name);
        var files = Directory.Exists(directory) ? Directory.GetFiles(directory) : [];
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var input = File.ReadAllBytes(file);
            var failure = Record.Exception(() => target.Run(input));
            Assert.True(failure is null, $"{name} on {Path.GetFileName(file)}: {failure}");
        }
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void RandomCorruptions_AreHandled(string name)
    {
        var target = FuzzTargets.All[name]();
        using var _ = target as IDisposable;
        var seeds = SeedInputs.For(name).ToList();
        var rounds = int.TryParse(Environment.GetEnvironmentVariable("COORDINATOR_FUZZ_ROUNDS"), out var r) ? r : target.CiRounds;
        var random = new Random(name.GetHashCode(StringComparison.Ordinal) & 0x7FFF_FFFF ^ 12345);
        foreach (var seed in seeds) target.Run(seed);
        for (var i = 0; i < rounds; i++)
        {
            var input = Mutate(seeds[random.Next(seeds.Count)], seeds[random.Next(seeds.Count)], random);
            var failure = Record.Exception(() => target.Run(input));
            Assert.True(failure is null, $"{name} on input {Convert.ToHexString(input)} (round {i}): {failure}");
        }
    }

    private static byte[] Mutate(byte[] input, byte[] other, Random random)
    {
        var bytes = new List<byte>(input);
        for (var n = 1 + random.Next(4); n > 0; n--)
        {
            switch (random.Next(6))
            {
                case 0 when bytes.Count > 0: bytes[random.Next(bytes.Count)] ^= (byte)(1 << random.Next(8)); break;
                case 1 when bytes.Count > 0: bytes[random.Next(bytes.Count)] = (byte)random.Next(256); break;
                case 2 when bytes.Count > 0:
                {
                    var at = random.Next(bytes.Count);
                    bytes.RemoveRange(at, 1 + random.Next(Math.Min(8, bytes.Count - at)));
                    break;
                }
                case 3: bytes.Insert(random.Next(bytes.Count + 1), (byte)random.Next(256)); break;
                case 4 when bytes.Count > 0:
                {
                    var keep = random.Next(bytes.Count);
                    bytes.RemoveRange(keep, bytes.Count - keep);
                    break;
                }
                case 5: bytes.InsertRange(random.Next(bytes.Count + 1), other.Skip(random.Next(other.Length + 1)).Take(1 + random.Next(16))); break;
            }
        }
        return bytes.ToArray();
    }
}
