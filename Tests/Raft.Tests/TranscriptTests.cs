using Coordinator.Tests.Raft.Harness;
using Xunit;

namespace Coordinator.Tests.Raft;

/// <summary>
/// One case per <c>Transcripts/*.txt</c> (format: <see cref="TranscriptRunner"/>). The expected trace is checked
/// in; <c>REWRITE=1 dotnet test Tests/Raft.Tests --filter Transcript</c> regenerates it in the source tree.
/// </summary>
public sealed class TranscriptTests
{
    private static string OutputDir => Path.Combine(AppContext.BaseDirectory, "Transcripts");

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(OutputDir, "*.txt").Order()) data.Add(Path.GetFileName(f));
        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Transcript(string file)
    {
        var expected = File.ReadAllText(Path.Combine(OutputDir, file)).Replace("\r\n", "\n");
        var actual = TranscriptRunner.Run(expected);
        if (Environment.GetEnvironmentVariable("REWRITE") == "1")
        {
            File.WriteAllText(Path.Combine(SourceDir(), file), actual);
            return;
        }
        if (actual == expected) return;
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        var line = 0;
        while (line < e.Length && line < a.Length && e[line] == a[line]) line++;
        Assert.Fail($"{file}: first difference at line {line + 1}\n expected: {(line < e.Length ? e[line] : "<end>")}\n" +
                    $"   actual: {(line < a.Length ? a[line] : "<end>")}\n(REWRITE=1 regenerates; review the diff)\n\n{actual}");
    }

    /// <summary>Tests/Raft.Tests/Transcripts in the source tree: found by walking up from the test binaries to
    /// the folder holding Coordinator.sln (or, until there is one, Directory.Build.props next to Tests/).</summary>
    private static string SourceDir()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var transcripts = Path.Combine(dir.FullName, "Tests", "Raft.Tests", "Transcripts");
            if (File.Exists(Path.Combine(dir.FullName, "Coordinator.sln")) ||
                (File.Exists(Path.Combine(dir.FullName, "Directory.Build.props")) && Directory.Exists(transcripts)))
                return transcripts;
        }
        throw new DirectoryNotFoundException("source tree (Coordinator.sln) not found above " + AppContext.BaseDirectory);
    }
}
