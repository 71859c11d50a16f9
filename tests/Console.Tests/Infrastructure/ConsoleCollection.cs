namespace LlmRouter.Console.Tests.Infrastructure;

/// <summary>The browser tests share one Chromium and one node with known traffic, and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ChromiumBrowser>, ICollectionFixture<ConsoleTraffic>
{
    public const string Name = "console";
}
