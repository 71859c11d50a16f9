using System.Buffers;
using System.Text;

namespace LlmRouter.Configuration.Toml;

/// <summary>Writes keys the way a user would type them, for error messages.</summary>
internal static class TomlKeyText
{
    private static readonly SearchValues<char> BareKeyChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-");

    public static string Format(IReadOnlyList<TomlKeySegment> key) => Format(key, key.Count);

    /// <summary>Formats the first <paramref name="count"/> segments of <paramref name="key"/>.</summary>
    public static string Format(IReadOnlyList<TomlKeySegment> key, int count)
    {
        var text = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            if (i > 0)
            {
                text.Append('.');
            }

            AppendSegment(text, key[i].Name);
        }

        return text.ToString();
    }

    private static void AppendSegment(StringBuilder text, string name)
    {
        if (name.Length > 0 && !name.AsSpan().ContainsAnyExcept(BareKeyChars))
        {
            text.Append(name);
            return;
        }

        text.Append('"');
        foreach (var c in name)
        {
            if (c is '"' or '\\')
            {
                text.Append('\\').Append(c);
            }
            else if (char.IsControl(c))
            {
                text.Append($"\\u{(int)c:X4}");
            }
            else
            {
                text.Append(c);
            }
        }

        text.Append('"');
    }
}
