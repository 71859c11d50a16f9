// toml-test decoder: TOML on stdin, tagged JSON on stdout (exit 0), or the errors on stderr (exit 1).
using TomlDecoder;

using var stdin = Console.OpenStandardInput();
using var stdout = Console.OpenStandardOutput();
return TomlTestDecoder.Run(stdin, stdout, Console.Error);
