namespace Coordinator.Tests.Integration;

/// <summary>Where the repository and the built `coordinator` are, found from the test's output folder.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    public static string CoordinatorDll => Path.Combine(Root, "Silo", "bin", Configuration, "net10.0", "coordinator.dll");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Coordinator.sln"))) return dir.FullName;
        throw new InvalidOperationException("cannot find Coordinator.sln above " + AppContext.BaseDirectory);
    }
}
