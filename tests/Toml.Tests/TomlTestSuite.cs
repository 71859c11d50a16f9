namespace LlmRouter.Toml.Tests;

/// <summary>Locates the shared toml-test data and lists its cases (names without the .toml extension).</summary>
internal static class TomlTestSuite
{
    private static readonly Lazy<string> LazyRoot = new(Locate);
    private static readonly Lazy<string[]> LazyListing = new(() => File.ReadAllLines(Path.Combine(Root, "files-toml-1.0.0")));

    /// <summary>The toml-test folder: $LLM_ROUTER_SHARED/toml-test, else ../shared/toml-test next to the folder holding LlmRouter.sln.</summary>
    public static string Root => LazyRoot.Value;

    public static IReadOnlyList<string> Listing => LazyListing.Value;

    public static IEnumerable<string> ValidCases => CasesUnder("valid/");

    public static IEnumerable<string> InvalidCases => CasesUnder("invalid/");

    public static byte[] ReadInput(string name) => File.ReadAllBytes(PathOf(name + ".toml"));

    public static string ReadExpected(string name) => File.ReadAllText(PathOf(name + ".json"));

    public static string PathOf(string entry) => Path.Combine(Root, entry);

    private static IEnumerable<string> CasesUnder(string prefix) =>
        Listing.Where(entry => entry.StartsWith(prefix, StringComparison.Ordinal) && entry.EndsWith(".toml", StringComparison.Ordinal))
            .Select(entry => entry[..^".toml".Length]);

    private static string Locate()
    {
        var shared = Environment.GetEnvironmentVariable("LLM_ROUTER_SHARED");
        if (!string.IsNullOrEmpty(shared))
        {
            return Path.GetFullPath(Path.Combine(shared, "toml-test"));
        }

        return Path.GetFullPath(Path.Combine(RepositoryRoot.Path, "..", "shared", "toml-test"));
    }
}
