namespace LlmRouter.Abstractions.Invocations;

/// <summary>The stored, wire (JSON, query) and metric-label names of <see cref="InvocationStatus"/> values.</summary>
public static class InvocationStatusNames
{
    public const string Success = "success";
    public const string Error = "error";
    public const string ClientClosed = "client_closed";
    public const string Rejected = "rejected";

    public static string ToName(InvocationStatus status) => status switch
    {
        InvocationStatus.Success => Success,
        InvocationStatus.Error => Error,
        InvocationStatus.ClientClosed => ClientClosed,
        InvocationStatus.Rejected => Rejected,
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    public static InvocationStatus Parse(string name) => TryParse(name, out var status)
        ? status
        : throw new FormatException($"unknown invocation status '{name}'");

    public static bool TryParse(string? name, out InvocationStatus status)
    {
        switch (name)
        {
            case Success: status = InvocationStatus.Success; return true;
            case Error: status = InvocationStatus.Error; return true;
            case ClientClosed: status = InvocationStatus.ClientClosed; return true;
            case Rejected: status = InvocationStatus.Rejected; return true;
            default: status = default; return false;
        }
    }
}
