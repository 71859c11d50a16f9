namespace LlmRouter.Configuration.Tests.Conformance;

/// <summary>Locates the shared toml-test data and lists its cases (names without the .toml extension).</summary>
internal static class TomlTestSuite
{
    /// <summary>
    /// Invalid in TOML 1.0 but legal in TOML 1.1, which Tomlyn reads: seconds optional in times, newlines and a
    /// trailing comma in inline tables, <c>\xHH</c> escapes. Accepted by design.
    /// </summary>
    public static readonly string[] LegalInToml11 =
    [
        "invalid/datetime/no-secs",
        "invalid/local-datetime/no-secs",
        "invalid/local-time/no-secs",
        "invalid/inline-table/linebreak-01",
        "invalid/inline-table/linebreak-02",
        "invalid/inline-table/linebreak-03",
        "invalid/inline-table/linebreak-04",
        "invalid/inline-table/trailing-comma",
        "invalid/string/basic-byte-escapes",
    ];

    /// <summary>The toml-test folder: ../shared/toml-test next to the folder holding LlmRouter.sln.</summary>
    public static string Root { get; } = Path.GetFullPath(Path.Combine(LoaderTests.RepositoryRoot(), "..", "shared", "toml-test"));

    private static readonly Lazy<string[]> LazyListing = new(() => File.ReadAllLines(Path.Combine(Root, "files-toml-1.0.0")));

    public static IReadOnlyList<string> Listing => LazyListing.Value;

    public static IEnumerable<string> ValidCases => CasesUnder("valid/");

    public static IEnumerable<string> InvalidCases => CasesUnder("invalid/");

    public static byte[] ReadInput(string name) => File.ReadAllBytes(PathOf(name + ".toml"));

    public static string ReadExpected(string name) => File.ReadAllText(PathOf(name + ".json"));

    public static string PathOf(string entry) => Path.Combine(Root, entry);

    private static IEnumerable<string> CasesUnder(string prefix) =>
        Listing.Where(entry => entry.StartsWith(prefix, StringComparison.Ordinal) && entry.EndsWith(".toml", StringComparison.Ordinal))
            .Select(entry => entry[..^".toml".Length]);
}
