using LlmRouter.Configuration;
using LlmRouter.Configuration.Toml;

namespace TomlDecoder;

/// <summary>The toml-test decoder protocol, read through the same path as router.toml.</summary>
public static class TomlTestDecoder
{
    /// <summary>Decodes <paramref name="input"/>: 0 with tagged JSON on <paramref name="output"/>, or 1 with the errors on <paramref name="error"/>.</summary>
    public static int Run(Stream input, Stream output, TextWriter error)
    {
        using var buffer = new MemoryStream();
        input.CopyTo(buffer);
        TomlTable document;
        try
        {
            document = TomlDocumentReader.Read(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), null, []);
        }
        catch (ConfigException exception)
        {
            error.WriteLine(exception.Message);
            return 1;
        }
        TaggedJson.Write(output, document);
        return 0;
    }
}
