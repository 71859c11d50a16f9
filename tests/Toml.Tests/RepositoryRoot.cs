namespace LlmRouter.Toml.Tests;

/// <summary>The checkout the tests run from: the nearest folder above the test binaries that holds LlmRouter.sln.</summary>
internal static class RepositoryRoot
{
    private static readonly Lazy<string> LazyPath = new(Find);

    public static string Path => LazyPath.Value;

    private static string Find()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(folder.FullName, "LlmRouter.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No LlmRouter.sln found above {AppContext.BaseDirectory}; set LLM_ROUTER_SHARED to the shared folder.");
    }
}
