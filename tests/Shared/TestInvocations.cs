using LlmRouter.Abstractions.Invocations;

namespace LlmRouter.Tests.Shared;

/// <summary>Invocation records for store and log tests.</summary>
public static class TestInvocations
{
    /// <summary>A successful OpenAI-format call of fake/<paramref name="model"/> with the fields every store requires.</summary>
    public static InvocationRecord Success(string model, DateTimeOffset? at = null) => new()
    {
        CreatedAt = at ?? DateTimeOffset.UtcNow,
        ClientFormat = "openai",
        Provider = "fake",
        Model = model,
        Status = InvocationStatus.Success,
        HttpStatus = 200,
        PromptTokens = 11,
        CompletionTokens = 5,
        LatencyMs = 120,
    };
}
