using Xunit;

namespace Coordinator.Tests.Fuzz;

/// <summary>COORDINATOR_FUZZ_WRITE_CORPUS=1 writes the seed inputs into Tests/Fuzz/corpus (AFL++'s starting
/// corpus, committed); otherwise checks that every seed input is in it.</summary>
public sealed class CorpusWriter
{
    [Theory]
    [MemberData(nameof(FuzzRegressionTests.Targets), MemberType = typeof(FuzzRegressionTests))]
    public void SeedInputs_AreInTheCorpus(string name)
    {
        var source = Path.Combine(RepoRoot(), "Tests", "Fuzz", "corpus", name);
        var seeds = SeedInputs.For(name).ToList();
        if (Environment.GetEnvironmentVariable("COORDINATOR_FUZZ_WRITE_CORPUS") == "1")
        {
            Directory.CreateDirectory(source);
            for (var i = 0; i < seeds.Count; i++) File.WriteAllBytes(Path.Combine(source, $"seed-{i:D2}"), seeds[i]);
        }
        var corpus = Directory.GetFiles(source).Select(File.ReadAllBytes).ToList();
        foreach (var seed in seeds) Assert.Contains(corpus, c => c.AsSpan().SequenceEqual(seed));
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Coordinator.sln"))) return dir.FullName;
        throw new InvalidOperationException("no Coordinator.sln above " + AppContext.BaseDirectory);
    }
}
