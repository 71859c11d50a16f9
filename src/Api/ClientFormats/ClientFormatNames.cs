namespace LlmRouter.Api.ClientFormats;

/// <summary>The API a client spoke, as the invocation log records it.</summary>
public static class ClientFormatNames
{
    public const string OpenAi = "openai";
    public const string Anthropic = "anthropic";
    public const string Native = "native";

    /// <summary>OpenAI's Responses API (POST /v1/responses).</summary>
    public const string Responses = "openai-responses";
}
