namespace LlmRouter.Cluster.Tests.Infrastructure;

/// <summary>Where the repository and the Silo's build output are, found from the test assembly's location.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The Silo built in the same configuration as these tests (Debug or Release).</summary>
    public static string SiloDll
    {
        get
        {
            var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var configuration = framework.Parent!.Name;
            var dll = Path.Combine(Root, "src", "Silo", "bin", configuration, framework.Name, "LlmRouter.Silo.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException($"build the Silo first ({configuration}): {dll} is missing", dll);
        }
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "LlmRouter.sln")))
            {
                return directory.FullName;
            }
        }
        throw new DirectoryNotFoundException("LlmRouter.sln not found above " + AppContext.BaseDirectory);
    }
}
