namespace LlmRouter.Console.Tests.Infrastructure;

/// <summary>Where test artifacts go: TestResults/screenshots at the repository root (git-ignored).</summary>
public static class Artifacts
{
    public static string Screenshots { get; } = Path.Combine(RepositoryRoot(), "TestResults", "screenshots");

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "LlmRouter.sln")))
            {
                return directory.FullName;
            }
        }
        return AppContext.BaseDirectory;
    }
}
