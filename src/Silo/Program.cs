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
catch (IOException exception) when (exception.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
{
    // Kestrel's "Failed to bind to address …: address already in use." (a second node, or another server, on the port).
    await Console.Error.WriteLineAsync($"llm-router: {exception.Message} Stop what listens there, or choose another port ([server] port in router.toml, or LLM_ROUTER_PORT).");
    return 3;
}
catch (StorageStartupException exception)
{
    await Console.Error.WriteLineAsync("llm-router: storage error: " + exception.Message);
    return 3;
}
