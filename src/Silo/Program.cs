using LlmRouter.Silo;

try
{
    if (KeysCommand.Arguments(args) is { } keysArguments)
    {
        return await KeysCommand.RunAsync(keysArguments, new RouterNodeOptions(), Console.Out, Console.Error);
    }
    var options = RouterNodeOptions.FromArgs(args);
    await using var app = await RouterNode.BuildAsync(options);
    await app.RunAsync();
    return 0;
}
catch (ConfigException exception)
{
    await Console.Error.WriteLineAsync("llm-router: configuration error: " + exception.Message);
    return 2;
}
catch (ArgumentException exception)
{
    await Console.Error.WriteLineAsync("llm-router: " + exception.Message);
    return 2;
}
catch (StorageStartupException exception)
{
    await Console.Error.WriteLineAsync("llm-router: storage error: " + exception.Message);
    return 3;
}
