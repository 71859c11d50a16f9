namespace LlmRouter.Toml.Parsing;

/// <summary>Character classes of the TOML grammar.</summary>
internal static class CharKinds
{
    public static bool IsBareKeyChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-';

    /// <summary>Characters that can make up an unquoted value: booleans, numbers and date-times.</summary>
    public static bool IsBareValueChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '+' or '.' or ':';

    /// <summary>Control characters TOML forbids in comments and strings (tab is allowed; line breaks are handled separately).</summary>
    public static bool IsForbiddenControl(char c) => (c < ' ' && c != '\t') || c == '\x7F';

    public static bool IsDigit(char c) => char.IsAsciiDigit(c);

    /// <summary>The value of an ASCII hex digit already checked with <see cref="char.IsAsciiHexDigit(char)"/>.</summary>
    public static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
