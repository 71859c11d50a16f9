namespace LlmRouter.Abstractions.Invocations;

/// <summary>
/// The stored, wire (JSON, query) and metric-label names of <see cref="InvocationStatus"/> values:
/// <c>success</c>, <c>error</c>, <c>client_closed</c>, <c>rejected</c> (see <see cref="WireNames{TValue}"/>).
/// </summary>
public static class InvocationStatusNames
{
    public static string ToName(InvocationStatus status) => WireNames<InvocationStatus>.Of(status);

    public static InvocationStatus Parse(string name) => TryParse(name, out var status)
        ? status
        : throw new FormatException($"unknown invocation status '{name}'");

    public static bool TryParse(string? name, out InvocationStatus status) => WireNames<InvocationStatus>.TryParse(name, out status);
}
