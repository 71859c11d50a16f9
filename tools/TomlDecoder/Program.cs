// toml-test decoder: TOML on stdin, tagged JSON on stdout (exit 0), or the error on stderr (exit 1).
using LlmRouter.Toml;

using var input = new MemoryStream();
using (var stdin = Console.OpenStandardInput())
{
    stdin.CopyTo(input);
}

TomlTable document;
try
{
    document = TomlParser.Parse(input.GetBuffer().AsSpan(0, (int)input.Length));
}
catch (TomlException e)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}

using (var stdout = Console.OpenStandardOutput())
{
    TomlTaggedJson.Write(stdout, document);
}

return 0;
